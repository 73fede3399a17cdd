/**
 * `find`, `describe` and `graph` read the named objects from an on-disk index (issue 13), through
 * real processes on a real SQLite store: the demo catalog plus a chain of 1,200 generated items
 * whose ids cross digit boundaries (u95 … u1294, so id order is by number, not by text), each view
 * using the one before it, an index on every tenth. What they print is checked against a model of
 * the generated items: order, edges, what `--root` reaches step by step, neighbours and suggestions.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { parseJson } from '../../src/json/lossless-json.js'
import { repoRoot } from '../helpers/cli-golden.js'
import { spawnCli, type ProcessResult } from '../helpers/cli-process.js'
import { makeTempDir, type TempDir } from '../helpers/tmp.js'

const FIRST = 95
const COUNT = 1200
const ids = Array.from({ length: COUNT }, (_, i) => FIRST + i)
/** Item `n`: a table (the first), an index on `n - 1` (every tenth), else a view on the last non-index before it. */
const isIndex = (n: number): boolean => n !== FIRST && n % 10 === 0
const nameOf = (n: number): string => (isIndex(n) ? `idx${n}` : n === FIRST ? `t${n}` : `v${n}`)
const usedBy = (n: number): number => (isIndex(n - 1) ? n - 2 : n - 1)

function itemSql(n: number): string {
  const ref = (m: number) => `[u${m} AS "analytics"."marts"."${nameOf(m)}"]`
  if (n === FIRST) return `CREATE TABLE "analytics"."marts"."${nameOf(n)}" ("id" [s20 AS "pg_catalog"."int4"])`
  if (isIndex(n)) return `CREATE INDEX "${nameOf(n)}" IN CLUSTER [u3] ON ${ref(n - 1)} ("id")`
  return `CREATE VIEW "analytics"."marts"."${nameOf(n)}" AS SELECT "id" FROM ${ref(usedBy(n))}`
}

/** The demo fixture with the generated items appended at one new timestamp. */
function writeFixture(path: string): void {
  const lines = readFileSync(join(repoRoot(), 'fixtures', 'demo-v47.ndjson'), 'utf8')
    .trimEnd()
    .split('\n')
  const header = JSON.parse(lines[0]!) as { upper: number }
  const ts = header.upper
  const items = ids.map((n) =>
    JSON.stringify({
      ts,
      diff: 1,
      data: {
        key: { gid: { value: { User: n } } },
        kind: 'Item',
        value: {
          definition: { value: { V1: { create_sql: itemSql(n) } } },
          name: nameOf(n),
          owner_id: { value: { User: 1 } },
          privileges: [],
          schema_id: { value: { User: 9 } },
        },
      },
    }),
  )
  writeFileSync(path, `${[JSON.stringify({ ...header, upper: ts + 1 }), ...lines.slice(1), ...items].join('\n')}\n`)
}

let tmp: TempDir
let store: string
const cli = (...args: string[]): Promise<ProcessResult> => spawnCli(['--store', store, ...args])

function ok(r: ProcessResult): string {
  assert.equal(r.code, 0, r.stderr)
  return r.stdout
}

describe('named objects on disk, on a catalog of many items', () => {
  before(async () => {
    tmp = makeTempDir('names-on-disk-')
    store = tmp.path('catalog.db')
    writeFixture(tmp.path('catalog.ndjson'))
    ok(await spawnCli(['--store', store, 'import', tmp.path('catalog.ndjson')]))
  })
  after(() => tmp.cleanup())

  test('find: every match in id order (by number), the same in text, JSON and NDJSON', async () => {
    const text = ok(await cli('find', 'marts.'))
    const json = parseJson(ok(await cli('find', 'marts.', '-o', 'json'))) as { id: string; name: string }[]
    const ndjson = ok(await cli('find', 'marts.', '-o', 'ndjson'))
      .trimEnd()
      .split('\n')
      .map((l) => parseJson(l))
    assert.deepEqual(ndjson, json)
    const generated = json.filter((o) => ids.includes(Number(o.id.slice(1))) && o.id.startsWith('u'))
    assert.deepEqual(
      generated.map((o) => o.id),
      ids.map((n) => `u${n}`),
    )
    assert.equal(generated[0]!.name, 'analytics.marts.t95')
    // Over 500 rows: laid out in one pass, the columns as wide as their widest cell.
    const lines = text.trimEnd().split('\n')
    assert.equal(lines.length, json.length + 1)
    assert.match(lines[0]!, /^kind {2}type {14}id {5}name$/)
    assert.ok(lines.includes('item  Index             u100   analytics.marts.idx100'), lines.slice(0, 5).join('\n'))
  })

  test('graph: the items in id order, each view using the one before it, each index on its relation', async () => {
    const g = parseJson(ok(await cli('graph', '-o', 'json', '--no-roles'))) as {
      nodes: { key: string }[]
      edges: { from: string; to: string; kind: string }[]
    }
    const itemKeys = g.nodes.map((n) => n.key).filter((k) => k.startsWith('item:u') && Number(k.slice(6)) >= FIRST)
    assert.deepEqual(
      itemKeys,
      ids.map((n) => `item:u${n}`),
    )
    const edges = (kind: string) =>
      g.edges.filter((e) => e.kind === kind && Number(e.from.slice(6)) >= FIRST).map((e) => `${e.from}>${e.to}`)
    const views = ids.filter((n) => n !== FIRST && !isIndex(n))
    assert.deepEqual(
      edges('uses'),
      views.map((n) => `item:u${n}>item:u${usedBy(n)}`),
    )
    assert.deepEqual(
      edges('indexes'),
      ids.filter(isIndex).map((n) => `item:u${n}>item:u${n - 1}`),
    )
    assert.deepEqual(
      edges('runs in'),
      ids.filter(isIndex).map((n) => `item:u${n}>cluster:u3`),
    )
    assert.ok(g.edges.some((e) => e.from === 'schema:u9' && e.to === 'item:u1294' && e.kind === 'contains'))
  })

  test('graph --root: each step reaches the next views and indexes; containers and owners come along', async () => {
    /** The model: what a change to u95 reaches within `depth` steps. */
    const reach = (depth: number): string[] => {
      const reached = new Set([FIRST])
      let frontier = [FIRST]
      for (let step = 0; step < depth; step++) {
        frontier = ids.filter((n) => !reached.has(n) && frontier.some((f) => (isIndex(n) ? n - 1 === f : usedBy(n) === f)))
        for (const n of frontier) reached.add(n)
      }
      return [...reached].sort((a, b) => a - b).map((n) => `item:u${n}`)
    }
    for (const depth of [0, 1, 3, 12]) {
      const r = parseJson(ok(await cli('graph', '--root', 'table:t95', '--depth', String(depth), '-o', 'json'))) as {
        nodes: { key: string }[]
      }
      const keys = r.nodes.map((n) => n.key)
      assert.deepEqual(
        keys.filter((k) => k.startsWith('item:')),
        reach(depth),
        `depth ${depth}`,
      )
      assert.deepEqual(
        keys.filter((k) => !k.startsWith('item:')),
        ['database:u2', 'schema:u9', 'role:u1'],
        'the containers and the owner',
      )
    }
    const all = ok(await cli('graph', '--root', 'table:t95', '--no-roles'))
    assert.equal((all.match(/^ {2}"item:u\d+" \[/gm) ?? []).length, COUNT, 'everything in the chain, unbounded')
    assert.doesNotMatch(all, /role:/)
  })

  test('describe: an item with its references and dependents; a schema with all its items; a suggestion', async () => {
    const v = parseJson(ok(await cli('describe', 'view', 'v101', '-o', 'json'))) as {
      references: { id: string; name: string }[]
      dependents: { id: string }[]
      schema: { name: string }
    }
    assert.deepEqual(
      v.references.map((r) => [r.id, r.name]),
      [['u99', 'analytics.marts.v99']],
    )
    assert.deepEqual(
      v.dependents.map((d) => d.id),
      ['u102'],
    )
    assert.equal(v.schema.name, 'analytics.marts')
    const t = parseJson(ok(await cli('describe', 'view', 'v99', '-o', 'json'))) as { dependents: { id: string }[] }
    assert.deepEqual(
      t.dependents.map((d) => d.id),
      ['u100', 'u101'],
      'the index on it and the view using it, in id order',
    )
    const s = parseJson(ok(await cli('describe', 'schema', 'analytics.marts', '-o', 'json'))) as { contents: { id: string }[] }
    assert.equal(s.contents.filter((c) => Number(c.id.slice(1)) >= FIRST).length, COUNT)
    const missing = await cli('describe', 'view', 'v12944')
    assert.equal(missing.code, 3)
    assert.match(missing.stderr, /no view named "v12944"\nhint: did you mean v1244 or v1294 or /, 'the closest first')
  })
})
