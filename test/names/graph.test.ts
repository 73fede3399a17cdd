/**
 * `graph` through real processes on the demo catalog: DOT accepted by the DOT parser in
 * test/helpers/dot-parser.ts (and by Graphviz's `dot` when it is installed), Mermaid, JSON and
 * NDJSON, and `--root`/`--depth` drawing what a change reaches.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { parseJson } from '../../src/json/lossless-json.js'
import { parseDot } from '../helpers/dot-parser.js'
import { repoRoot } from '../helpers/cli-golden.js'
import { spawnCli } from '../helpers/cli-process.js'

const DEMO = join(repoRoot(), 'fixtures', 'demo-v47.ndjson')
const demo = (...args: string[]) => spawnCli(['--store', DEMO, ...args])

function hasDot(): boolean {
  return spawnSync('dot', ['-V'], { encoding: 'utf8' }).error === undefined
}

describe('graph', () => {
  test('the parser reads DOT and refuses broken DOT', () => {
    const g = parseDot('digraph x { a [label="A \\"q\\""]; a -> b -> c [label=e]; sub = 1; { d } }')
    assert.deepEqual([...g.nodes.keys()], ['a', 'b', 'c', 'd'])
    assert.equal(g.nodes.get('a')?.label, 'A "q"')
    assert.deepEqual(
      g.edges.map((e) => `${e.from}>${e.to}`),
      ['a>b', 'b>c'],
    )
    assert.throws(() => parseDot('digraph { a -> }'), SyntaxError)
    assert.throws(() => parseDot('digraph { "a -> b }'), SyntaxError)
    assert.throws(() => parseDot('digraph { a -- b }'), SyntaxError)
  })

  test('the whole catalog as DOT: every object a node, the documented edges present', async () => {
    const r = await demo('graph')
    assert.equal(r.code, 0, r.stderr)
    const g = parseDot(r.stdout)
    assert.ok(g.directed)
    for (const e of g.edges)
      assert.ok(g.nodes.get(e.from)?.label !== undefined && g.nodes.get(e.to)?.label !== undefined, `${e.from} -> ${e.to}`)
    const edge = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to)?.attrs.label
    assert.equal(edge('database:u2', 'schema:u9'), 'contains')
    assert.equal(edge('schema:u9', 'item:u8'), 'contains')
    assert.equal(edge('cluster:u3', 'replica:u4'), 'contains')
    assert.equal(edge('item:u9', 'item:u8'), 'indexes')
    assert.equal(edge('item:u8', 'item:u5'), 'uses')
    assert.equal(edge('item:u8', 'cluster:u3'), 'runs in')
    assert.equal(edge('role:u1', 'cluster:u3'), 'owns')
    assert.equal(edge('role:u2', 'role:u4'), 'member of')
    assert.equal(g.nodes.get('cluster:u3')?.label, 'cluster\\nserving', 'a DOT line break between kind and name')
    assert.equal(g.nodes.has('item:u12'), false, 'the dropped table is not drawn')
    if (hasDot()) {
      const dot = spawnSync('dot', ['-Tsvg'], { input: r.stdout, encoding: 'utf8' })
      assert.equal(dot.status, 0, dot.stderr)
    }
  })

  test('--root and --depth draw what a change reaches, with containers and owners as context', async () => {
    const r = await demo('graph', '--root', 'cluster:serving', '--depth', '1', '--no-roles', '-o', 'json')
    assert.equal(r.code, 0, r.stderr)
    const g = parseJson(r.stdout) as { nodes: { key: string }[]; edges: { from: string; to: string; kind: string }[] }
    assert.deepEqual(g.nodes.map((n) => n.key).sort(), [
      'cluster:u3',
      'database:u2',
      'item:u8',
      'item:u9',
      'replica:u3',
      'replica:u4',
      'schema:u9',
    ])
    const deeper = parseDot((await demo('graph', '--root', 'cluster:serving', '--no-roles')).stdout)
    assert.ok(deeper.nodes.has('item:u10'), 'the sink reading the materialized view is reached in two steps')
    const bad = await demo('graph', '--root', 'serving')
    assert.equal(bad.code, 2)
    const missing = await demo('graph', '--root', 'cluster:nope')
    assert.equal(missing.code, 3)
  })

  test('Mermaid: a flowchart whose edges join declared nodes; NDJSON: one record per line', async () => {
    const r = await demo('graph', '--root', 'role:analysts', '-f', 'mermaid')
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.trimEnd().split('\n')
    assert.equal(lines[0], 'flowchart LR')
    const declared = new Set(lines.slice(1).flatMap((l) => /^ {2}([A-Za-z0-9_]+)[[(/]/.exec(l)?.slice(1) ?? []))
    const edges = lines.slice(1).filter((l) => /-->|-\.->/.test(l))
    assert.ok(declared.has('role_u4') && declared.has('role_u2'))
    assert.ok(edges.includes('  role_u2 -.->|member of| role_u4'))
    for (const e of edges) {
      const m = /^ {2}(\w+) -\.?->\|[^|]+\| (\w+)$/.exec(e)
      assert.ok(m !== null && declared.has(m[1]!) && declared.has(m[2]!), e)
    }
    const nd = await demo('graph', '--root', 'role:analysts', '-o', 'ndjson')
    const records = nd.stdout
      .trimEnd()
      .split('\n')
      .map((l) => parseJson(l) as { type: string })
    assert.deepEqual([...new Set(records.map((x) => x.type))], ['node', 'edge'])
  })
})
