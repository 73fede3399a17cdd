/**
 * `undo COLLECTION KEY` through real processes on the demo catalog, SQLite and PostgreSQL: after
 * two edits it puts the first value back, a key an edit created is deleted again, with the
 * preview, dry run, refusal, epoch bump and write record of `edit`; nothing to undo is exit 3.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { parseJson } from '../../src/json/lossless-json.js'
import { describePostgres } from '../helpers/postgres-server.js'
import { cliOn, importDemo, okOn } from '../helpers/operator-cli.js'
import { makeTempDir } from '../helpers/tmp.js'

const GREETING = '{"name":"greeting"}'
const GENERATION = '{"key":"deploy_generation"}'

function scenario(store: () => string): void {
  before(() => importDemo(store()))

  it('after two edits, undo puts the first edit back and bumps the epoch; a dry run and a refusal write nothing', async () => {
    await okOn(store(), ['edit', 'config', GENERATION, '{"value":5}', '--yes'])
    await okOn(store(), ['edit', 'config', GENERATION, '{"value":6}', '--yes'])
    const epoch = await okOn(store(), ['epoch'])
    const dry = await cliOn(store(), ['undo', 'config', GENERATION, '--dry-run'])
    assert.equal(dry.code, 0, dry.stderr)
    assert.match(dry.stderr, /undoing the change at 47/)
    assert.match(dry.stderr, /dry run; nothing written/)
    assert.equal((await cliOn(store(), ['undo', 'config', GENERATION])).code, 4)
    assert.equal(await okOn(store(), ['get', 'config', GENERATION]), '{"value":6}\n')

    const out = parseJson(await okOn(store(), ['undo', 'config', GENERATION, '--yes', '--reason', 'roll back', '-o', 'json'])) as Record<
      string,
      never
    >
    assert.equal(out.undone_at, 47n)
    assert.equal(out.action, 'edit')
    assert.equal(out.committed, true)
    assert.equal(await okOn(store(), ['get', 'config', GENERATION]), '{"value":5}\n')
    assert.notEqual(await okOn(store(), ['epoch']), epoch)
    const [newest] = parseJson(await okOn(store(), ['log', '-n', '1', '-o', 'json'])) as unknown as { command: string; reason: string }[]
    assert.equal(newest?.command, 'undo')
    assert.equal(newest?.reason, 'roll back')
  })

  it('a key an edit created is deleted again; a key never written is exit 3', async () => {
    await okOn(store(), ['edit', 'setting', GREETING, '{"value":"hello"}', '--yes'])
    const text = await okOn(store(), ['undo', 'setting', GREETING, '--yes'])
    assert.match(text, /deleted value: \{"value":"hello"\}/)
    assert.equal((await cliOn(store(), ['get', 'setting', GREETING])).code, 3)
    const none = await cliOn(store(), ['undo', 'setting', '{"name":"never"}', '--yes'])
    assert.equal(none.code, 3)
    assert.match(none.stderr, /nothing to undo/)
  })
}

describe('undo on a SQLite store', () => {
  const tmp = makeTempDir('catalog-debug-undo-')
  after(() => tmp.cleanup())
  scenario(() => tmp.path('demo.db'))
})

describePostgres('undo on a PostgreSQL store', (server) => {
  let url: string | undefined
  scenario(() => {
    url ??= server().createDatabase('undo')
    return url
  })
})
