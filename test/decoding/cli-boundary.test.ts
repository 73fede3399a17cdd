/**
 * The decoding boundary through the command-line binary (real processes): `edit`, `delete`,
 * `import` and `--store` fixtures refuse, with exit 2, a line naming the JSON path, and nothing
 * written, every key or value Materialize's decoding would refuse, plus unknown fields, duplicate
 * keys and text that is not UTF-8 (docs/materialize-parity.md, "Rows Materialize can read").
 */

import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFixtureCatalog, tempDir, type FixtureDir } from '../helpers/cli-fixture.js'
import { CLI_BIN, spawnCli } from '../helpers/cli-process.js'
import { sha256File } from '../helpers/tmp.js'

const ROLE_VALUE = '{"name":"x","attributes":{"inherit":true},"membership":{"map":[]},"vars":{"entries":[]}}'

describe('decoding boundary through the CLI', () => {
  let fx: FixtureDir
  let store: string
  before(async () => {
    fx = tempDir()
    store = join(fx.dir, 'catalog.db')
    await createFixtureCatalog(store)
  })
  after(() => fx.cleanup())

  /** Runs the binary, asserts exit 2 with `pattern` on stderr and the store unchanged. */
  async function refused(args: readonly string[], pattern: RegExp): Promise<void> {
    const before = sha256File(store)
    const r = await spawnCli([...args, '--store', store, '--yes'])
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
    assert.match(r.stderr, pattern)
    assert.equal(r.stdout, '')
    assert.equal(sha256File(store), before, 'nothing written')
  }

  test('edit role with the wrong key field: was written as {"id":null}, now key.id is missing', async () => {
    await refused(['edit', 'role', '{"name":1}', '{"name":"x"}'], /key\.id: missing required field/)
  })

  test('edit: a nested null where Materialize requires a value (unset oneof)', async () => {
    await refused(['edit', 'role', '{"id":{"value":null}}', ROLE_VALUE], /key\.id\.value: expected a RoleId variant object/)
    await refused(
      ['edit', 'role', '{"id":{"value":{"User":9}}}', '{"name":"x","attributes":null,"membership":{"map":[]},"vars":{"entries":[]}}'],
      /value\.attributes: expected a RoleAttributes object, got null/,
    )
  })

  test('edit: unknown fields are refused, not dropped', async () => {
    await refused(['edit', 'role', '{"id":{"value":{"User":9}}}', ROLE_VALUE.replace('}}', '},"bogus":1}')], /value\.bogus: unknown field/)
    await refused(['edit', 'setting', '{"name":"a","extra":true}', '{"value":"x"}'], /key\.extra: unknown field/)
  })

  test('edit: duplicate JSON keys are refused at any depth', async () => {
    await refused(['edit', 'setting', '{"name":"a"}', '{"value":"x","value":"y"}'], /value\.value: duplicate key/)
    await refused(['edit', 'role', '{"id":{"value":{"User":9},"value":{"User":8}}}', ROLE_VALUE], /key\.id\.value: duplicate key/)
  })

  test('delete: the key follows the same rule', async () => {
    await refused(['delete', 'setting', '{"name":"a","extra":1}'], /key\.extra: unknown field/)
    await refused(['delete', 'role', '{"id":null}'], /key\.id: expected a RoleId object, got null/)
  })

  test('edit: invalid UTF-8 in an @file or an argument is refused, not replaced by U+FFFD', async () => {
    const file = join(fx.dir, 'value.json')
    writeFileSync(file, Buffer.concat([Buffer.from('{"value":"a'), Buffer.from([0xff]), Buffer.from('"}')]))
    await refused(['edit', 'setting', '{"name":"a"}', `@${file}`], /VALUE is not valid UTF-8/)
    // An argument with an invalid byte: the shell passes the raw byte, Node would see U+FFFD.
    const before = sha256File(store)
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        '/bin/sh',
        ['-c', `"${process.execPath}" "${CLI_BIN}" edit setting '{"name":"a"}' "$(printf '{"value":"\\377"}')" --store "${store}" --yes`],
        { env: { PATH: process.env.PATH ?? '' } },
        (err, _stdout, stderr) => resolve({ code: err === null ? 0 : ((err as { code?: number }).code ?? null), stderr }),
      )
    })
    assert.equal(r.code, 2, r.stderr)
    assert.match(r.stderr, /VALUE is not valid UTF-8/)
    assert.equal(sha256File(store), before)
  })

  test('import and --store fixtures: a row with a required field null is refused, nothing created', async () => {
    const exported = await spawnCli(['export', '--store', store, '-'])
    assert.equal(exported.code, 0, exported.stderr)
    const lines = exported.stdout.trimEnd().split('\n')
    const i = lines.findIndex((l) => l.includes('"kind":"Role"'))
    assert.ok(i > 0)
    // The role's owner-less membership: an unset `RoleMembership` Materialize's from_proto refuses.
    lines[i] = (lines[i] as string).replace(/"membership":\{"map":\[[^\]]*\]\}/, '"membership":null')
    assert.match(lines[i] as string, /"membership":null/)
    const fixture = join(fx.dir, 'bad.ndjson')
    writeFileSync(fixture, `${lines.join('\n')}\n`)
    const target = join(fx.dir, 'imported.db')
    const imp = await spawnCli(['import', fixture, '--store', target])
    assert.equal(imp.code, 2, imp.stderr)
    assert.match(imp.stderr, new RegExp(`bad\\.ndjson:${i + 1}: data\\.value\\.membership: expected a RoleMembership object, got null`))
    assert.equal(existsSync(target), false)
    const dump = await spawnCli(['dump', '--store', fixture, '--stats-only'])
    assert.equal(dump.code, 2, dump.stderr)
    assert.match(dump.stderr, /data\.value\.membership/)
    // A duplicate key in a fixture line, and bytes that are not UTF-8, are refused the same way.
    writeFileSync(fixture, `${lines.map((l, j) => (j === i ? l.replace('{"ts":', '{"ts":0,"ts":') : l)).join('\n')}\n`)
    const dup = await spawnCli(['import', fixture, '--store', target])
    assert.equal(dup.code, 2, dup.stderr)
    assert.match(dup.stderr, /duplicate key/)
    writeFileSync(fixture, Buffer.concat([Buffer.from(`${lines.slice(0, i).join('\n')}\n`), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]))
    const bytes = await spawnCli(['import', fixture, '--store', target])
    assert.equal(bytes.code, 2, bytes.stderr)
    assert.match(bytes.stderr, /not valid UTF-8/)
    assert.equal(existsSync(target), false)
    assert.ok(readFileSync(fixture).length > 0)
  })
})
