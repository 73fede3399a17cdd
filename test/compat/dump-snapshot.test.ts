/**
 * The compat `dump` of a fresh catalog against Materialize's insta snapshot: every update's key and
 * value `Debug` text must equal the text of `debug__persist_opened_trace.snap`
 * (`src/catalog/tests/snapshots/`, derived into `fixtures/golden/compat/fresh-v47-debug.txt`; the
 * fixture's header says how), at Materialize's timestamps ("2", the read point) and diffs, inside
 * the frame `{data:#?}` prints. The catalog is made as Materialize's test makes it: audit events
 * at time 0 (`init --now 0`, Materialize's `NOW_ZERO`), replica size "1". Both commands run as
 * real processes.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { COLLECTION_NAMES, catalogShardIds } from '../../src/catalog/index.js'
import { canonicalJson, parseJson, type JsonObject } from '../../src/json/lossless-json.js'
import { goldenPath } from '../helpers/catalog-golden.js'
import { TEST_ORG, tempStore } from '../helpers/catalog-store.js'
import { spawnCli } from '../helpers/cli-process.js'

interface Update {
  key: string
  value: string
}
interface DumpedEntry extends Update {
  keyJson: string
  valueJson: string
  timestamp: string
  diff: string
}

/** The fixture: collection → updates (key and value text), comments dropped. */
function readExpected(): Map<string, Update[]> {
  const text = readFileSync(goldenPath('../compat/fresh-v47-debug.txt'), 'utf8')
  const out = new Map<string, Update[]>()
  let current: Update[] | undefined
  let part: 'key' | 'value' | undefined
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line === '') continue
    if (line.startsWith('=== ')) {
      current = []
      out.set(line.slice(4), current)
    } else if (line === '--- key') {
      current?.push({ key: '', value: '' })
      part = 'key'
    } else if (line === '--- value') {
      part = 'value'
    } else {
      const u = current?.at(-1) as Update
      u[part as 'key' | 'value'] += u[part as 'key' | 'value'] === '' ? line : `\n${line}`
    }
  }
  return out
}

const FIELD = 12 // columns of a Dumped field inside `{data:#?}`

/** Takes a compat dump apart: collection → Dumped entries, each field's text moved left to column 0. */
function parseDump(text: string): Map<string, DumpedEntry[]> {
  const lines = text.split('\n')
  assert.equal(lines[0], '{')
  assert.equal(lines.at(-1), '')
  assert.equal(lines.at(-2), '}')
  const out = new Map<string, DumpedEntry[]>()
  let i = 1
  while (i < lines.length - 2) {
    const head = /^ {4}"([a-z_]+)": \[(\],)?$/.exec(lines[i] as string)
    assert.ok(head, `line ${i + 1}: a collection, got ${JSON.stringify(lines[i])}`)
    const entries: DumpedEntry[] = []
    out.set(head[1] as string, entries)
    i++
    if (head[2] !== undefined) continue
    while (lines[i] !== '    ],') {
      assert.equal(lines[i], '         {', `line ${i + 1}: an entry opens with ' {'`)
      i++
      const fields: Record<string, string> = {}
      let name: string | undefined
      while (lines[i] !== '        },') {
        const line = lines[i] as string
        const field = /^ {12}([a-z_]+): (.*)$/.exec(line)
        if (field) {
          name = field[1] as string
          fields[name] = field[2] as string
        } else {
          assert.ok(line.startsWith(' '.repeat(FIELD)) && name !== undefined, `line ${i + 1}: continuation of ${name}`)
          fields[name as string] += `\n${line.slice(FIELD)}`
        }
        i++
      }
      i++
      assert.deepEqual(Object.keys(fields), ['key', 'value', 'key_json', 'value_json', 'timestamp', 'diff'])
      for (const n of ['key', 'value', 'key_json', 'value_json', 'timestamp', 'diff']) assert.ok(fields[n]?.endsWith(','), n)
      const f = (n: string): string => (fields[n] as string).slice(0, -1)
      entries.push({
        key: f('key'),
        value: f('value'),
        keyJson: f('key_json'),
        valueJson: f('value_json'),
        timestamp: f('timestamp'),
        diff: f('diff'),
      })
    }
    i++
  }
  return out
}

test("compat dump of a fresh catalog: Materialize's insta snapshot, key by key", async () => {
  const t = tempStore('compat-dump')
  try {
    // As Materialize's test opens it: NOW_ZERO, replica size "1".
    const init = await spawnCli(['--store', t.path, 'init', '--organization-id', TEST_ORG, '--replica-size', '1', '--now', '0'])
    assert.equal(init.code, 0, init.stderr)
    const store = await t.open({ readOnly: true })
    const shard = catalogShardIds(TEST_ORG).catalog
    const stored = await store.snapshot(shard, ((await store.fetchRecentUpper(shard)) as bigint) - 1n)
    await store.close()

    const r = await spawnCli(['--compat', 'materialize', '--persist-consensus-url', t.path, '--organization-id', TEST_ORG, 'dump'])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stderr, '')
    const dumped = parseDump(r.stdout)
    const expected = readExpected()

    assert.deepEqual([...dumped.keys()], [...COLLECTION_NAMES].sort(), 'every collection, by name')
    assert.deepEqual([...expected.keys()].sort(), [...COLLECTION_NAMES].sort(), 'the fixture covers every collection')
    let compared = 0
    for (const [collection, entries] of dumped) {
      const want = expected.get(collection) as Update[]
      assert.equal(entries.length, want.length, `${collection}: number of updates`)
      entries.forEach((e, i) => {
        assert.equal(e.key, want[i]?.key, `${collection} update ${i + 1}: key`)
        assert.equal(e.value, want[i]?.value, `${collection} update ${i + 1}: value`)
        assert.equal(e.timestamp, '"2"', 'every update at the read point')
        assert.equal(e.diff, '1')
        compared++
      })
    }
    assert.equal(compared, 45)

    // key_json / value_json: the stored rows' keys and values, single-quoted, unescaped.
    const storedPairs = stored.map((u) => {
      const row = parseJson(u.data) as JsonObject
      return `${canonicalJson(row.key ?? null)} ${canonicalJson(row.value ?? null)}`
    })
    for (const entries of dumped.values()) {
      for (const e of entries) {
        assert.match(e.keyJson, /^'.*'$/)
        const pair = `${canonicalJson(parseJson(e.keyJson.slice(1, -1)))} ${canonicalJson(parseJson(e.valueJson.slice(1, -1)))}`
        assert.ok(storedPairs.includes(pair), `a stored row: ${pair}`)
      }
    }
  } finally {
    t.cleanup()
  }
})
