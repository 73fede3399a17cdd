/**
 * `-o ndjson` means one JSON document per line, for every command that takes `-o`, through real
 * processes: a command answering one record prints one line; a list, one element per line; a
 * report holding lists, typed records (the report's line first, then one line per element).
 * The list of commands is checked against the registry, so a new command must be added here.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { COMMANDS } from '../../src/cli/commands/index.js'
import { parseJson } from '../../src/json/lossless-json.js'
import { repoRoot } from '../helpers/cli-golden.js'
import { tempDir, type FixtureDir } from '../helpers/cli-fixture.js'
import { spawnCli } from '../helpers/cli-process.js'

const FIXTURES = join(repoRoot(), 'fixtures')
const DEMO = join(FIXTURES, 'demo-v47.ndjson')
const V46 = join(FIXTURES, 'demo-v46.ndjson')
const DG = '{"key":"deploy_generation"}'

/** How a command's NDJSON is shaped: the first record's `type` for reports, else the line count. */
type Shape = { report: string } | { lines: 'one' | 'many' }

interface Case {
  readonly argv: (dir: string) => string[]
  readonly shape: Shape
  /** Exit codes that are answers, not failures (`diff`: 1 when the catalogs differ). */
  readonly exit?: number
}

const store = (dir: string) => ['--store', join(dir, 's.db')]

const CASES: Readonly<Record<string, Case>> = {
  import: { argv: (d) => [...store(d), 'import', DEMO], shape: { lines: 'one' } },
  dump: { argv: () => ['--store', DEMO, 'dump', '-c', '--only', 'role'], shape: { report: 'collection' } },
  get: { argv: (d) => [...store(d), 'get', 'config', DG], shape: { lines: 'one' } },
  epoch: { argv: (d) => [...store(d), 'epoch'], shape: { lines: 'one' } },
  edit: { argv: (d) => [...store(d), 'edit', 'config', DG, '{"value":7}', '--dry-run'], shape: { lines: 'one' } },
  delete: { argv: (d) => [...store(d), 'delete', 'config', DG, '--dry-run'], shape: { lines: 'one' } },
  'upgrade-check': { argv: (d) => [...store(d), 'upgrade-check'], shape: { report: 'upgrade-check' } },
  init: { argv: (d) => ['--store', join(d, 'fresh.db'), 'init'], shape: { lines: 'one' } },
  inspect: { argv: (d) => [...store(d), 'inspect'], shape: { report: 'store' } },
  verify: { argv: (d) => [...store(d), 'verify'], shape: { report: 'verify' } },
  repair: { argv: (d) => [...store(d), 'repair'], shape: { report: 'repair-plan' } },
  history: { argv: (d) => [...store(d), 'history', 'config', DG], shape: { lines: 'many' } },
  describe: { argv: (d) => [...store(d), 'describe', 'cluster', 'serving'], shape: { lines: 'one' } },
  find: { argv: (d) => [...store(d), 'find', 'revenue'], shape: { lines: 'many' } },
  graph: { argv: (d) => [...store(d), 'graph', '--root', 'cluster:serving'], shape: { report: 'node' } },
  diff: { argv: () => ['diff', DEMO, V46], shape: { report: 'diff' }, exit: 1 },
  upgrade: { argv: () => ['--store', V46, 'upgrade', '--dry-run'], shape: { report: 'upgrade' } },
  backup: { argv: (d) => [...store(d), 'backup', join(d, 'b.db')], shape: { report: 'backup' } },
  restore: { argv: (d) => [...store(d), 'restore', join(d, 'b.db'), '--dry-run'], shape: { report: 'restore' } },
  copy: { argv: (d) => ['copy', '--from', V46, '--to', join(d, 'c.db')], shape: { report: 'copy' } },
  version: { argv: () => ['version'], shape: { lines: 'one' } },
  log: { argv: (d) => [...store(d), 'log'], shape: { lines: 'many' } },
  undo: { argv: (d) => [...store(d), 'undo', 'config', DG, '--dry-run'], shape: { lines: 'one' } },
}

/** Commands whose NDJSON other tests check: `watch` streams until interrupted (test/operator/). */
const ELSEWHERE = new Set(['watch'])

let fx: FixtureDir
before(() => {
  fx = tempDir()
})
after(() => fx.cleanup())

test('every command that takes -o has an NDJSON case here', () => {
  const withOutput = COMMANDS.filter((c) => 'output' in c.options && !ELSEWHERE.has(c.name)).map((c) => c.name)
  const missing = withOutput.filter((n) => CASES[n] === undefined)
  assert.deepEqual(missing, [], `add these commands to test/conventions/ndjson.test.ts: ${missing.join(', ')}`)
})

test('-o ndjson prints one JSON document per line, for every command', async () => {
  const present = new Set(COMMANDS.map((c) => c.name))
  // `import` first: the other cases read the store it creates; `backup` before `restore`.
  const order = Object.keys(CASES).filter((n) => present.has(n))
  const sequential = ['import', 'backup', 'restore', 'edit', 'delete', 'undo']
  const run = async (name: string): Promise<void> => {
    const c = CASES[name]!
    const r = await spawnCli([...c.argv(fx.dir), '-o', 'ndjson'])
    assert.equal(r.code, c.exit ?? 0, `${name}: ${r.stderr}`)
    assert.ok(r.stdout.endsWith('\n'), `${name}: output ends with a newline`)
    const lines = r.stdout.slice(0, -1).split('\n')
    const docs = lines.map((l, i) => {
      assert.doesNotThrow(() => parseJson(l), `${name} line ${i + 1} is not one JSON document: ${l.slice(0, 200)}`)
      const d = parseJson(l)
      assert.ok(d !== null && typeof d === 'object' && !Array.isArray(d), `${name} line ${i + 1} is not an object`)
      return d as Record<string, unknown>
    })
    if ('report' in c.shape) {
      assert.equal(docs[0]?.type, c.shape.report, `${name}: first record`)
      assert.ok(
        docs.every((d) => typeof d.type === 'string'),
        `${name}: every record has a type`,
      )
    } else if (c.shape.lines === 'one') assert.equal(docs.length, 1, `${name}: one record`)
    else assert.ok(docs.length >= 1, `${name}: at least one record`)
  }
  for (const name of sequential) if (order.includes(name) && name !== 'restore') await run(name)
  const rest = order.filter((n) => !sequential.includes(n))
  for (let i = 0; i < rest.length; i += 4) await Promise.all(rest.slice(i, i + 4).map(run))
  if (order.includes('restore')) await run('restore')
})
