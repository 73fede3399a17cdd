/**
 * The decoding rule over generated rows. For every collection at every catalog version, a full row
 * is generated from the schemas (every optional message set, one element per list, and one base
 * row per oneof variant, so every field at every depth is present), then mutated one field at a
 * time: the field removed, nulled, or duplicated in the JSON text, or an unknown field added to
 * its object. Each mutation is checked against an oracle written independently of the schemas:
 * the fields Materialize's `from_proto` lets be `None` (`src/catalog/src/durable/objects/
 * serialization.rs`: `.map(…)`/`into_rust()` on an `Option`, never `into_rust_if_some` or
 * `missing_field`). Removing or nulling one of those is accepted (serde reads it as `None`);
 * every other mutation must be refused with an error naming the JSON path, and nothing written.
 *
 * Where it runs: the key and value of every mutation through the edit/delete boundary
 * (`parseUserKey`/`parseUserValue`, at every version with a schema set of its own: 42, 46, 47), the refused ones at v47 through a real
 * store's `DebugCatalog.edit` and `delete` (then the store must be unchanged), and whole rows
 * through the fixture line parser (`import`, `--store` fixtures) with each version's validator.
 */

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { parseUserKey, parseUserValue } from '../../src/catalog/codec/row-codec.js'
import { FixtureError, parseHeader, parseUpdate } from '../../src/catalog/fixture/format.js'
import { validateRowAt } from '../../src/catalog/fixture/row-validator.js'
import { initializeCatalog, openUnopenedCatalog, type DebugCatalog } from '../../src/catalog/index.js'
import { COLLECTION_NAMES, type CollectionName } from '../../src/catalog/kinds/collections.js'
import { kindsForVersion } from '../../src/catalog/kinds/schema-sets.js'
import type { MessageSchema, OneofSchema, Schema, WrapperSchema } from '../../src/catalog/kinds/schema.js'
import { CATALOG_VERSIONS, type CatalogVersion } from '../../src/catalog/kinds/versions.js'
import { ValidationError } from '../../src/errors.js'
import { canonicalJson, type JsonObject, type JsonValue } from '../../src/json/lossless-json.js'
import type { ShardStore } from '../../src/store/shard-store.js'
import { TEST_ORG, tempStore, type TempStore } from '../helpers/catalog-store.js'

/** `Message.field` pairs whose `None` from_proto accepts (read from serialization.rs, not from our schemas). */
const OPTIONAL = new Set([
  'SchemaValue.database_id',
  'ClusterValue.linked_object_id',
  'DefaultPrivilegesKey.database_id',
  'DefaultPrivilegesKey.schema_id',
  'CommentKey.sub_component',
  'ReplicaLogging.interval',
  'ManagedCluster.idle_arrangement_merge_effort',
  'ReplicaConfig.idle_arrangement_merge_effort',
  'ManagedLocation.availability_zone',
  'ManagedLocation.billed_as',
  'AuditLogEventV1.user',
  'CreateClusterReplicaV1.replica_id',
  'CreateClusterReplicaV1.billed_as',
  'DropClusterReplicaV1.replica_id',
  'CreateSourceSinkV1.size',
  'CreateSourceSinkV2.size',
  'AlterSourceSinkV1.old_size',
  'AlterSourceSinkV1.new_size',
  'AlterSetClusterV1.old_cluster',
  'AlterSetClusterV1.new_cluster',
  'AlterDefaultPrivilegeV1.database_id',
  'AlterDefaultPrivilegeV1.schema_id',
  'SchemaV2.database_name',
  'RenameSchemaV1.database_name',
  'StorageUsageV1.shard_id',
])

const UNKNOWN = 'zz_not_a_field'

/** A valid value of `schema`, every option set, oneofs on variant `pick % n`. */
function sample(schema: Schema<unknown>, pick: number): JsonValue {
  switch (schema.type) {
    case 'option':
      return sample((schema as WrapperSchema<unknown>).inner, pick)
    case 'repeated':
      return [sample((schema as WrapperSchema<unknown>).inner, pick)]
    case 'message': {
      const out: JsonObject = {}
      for (const [k, s] of (schema as MessageSchema<unknown>).fields) out[k] = sample(s, pick)
      return out
    }
    case 'oneof': {
      const variants = (schema as OneofSchema<unknown>).variants
      const [tag, s] = variants[pick % variants.length] as readonly [string, Schema<unknown>]
      return { [tag]: sample(s, pick) }
    }
    case 'enum':
      return 1n
    case 'u64': {
      const mask = (schema as { mask?: bigint }).mask
      return mask === undefined ? 7n : mask & -mask
    }
    case 'u32':
    case 'i64':
    case 'i32':
      return 3n
    case 'string':
      return 's'
    case 'bool':
      return true
    case 'unit':
      return null
  }
}

/** How many base rows it takes to visit every variant of every oneof. */
function variantCount(schema: Schema<unknown>): number {
  switch (schema.type) {
    case 'option':
    case 'repeated':
      return variantCount((schema as WrapperSchema<unknown>).inner)
    case 'message':
      return Math.max(1, ...(schema as MessageSchema<unknown>).fields.map(([, s]) => variantCount(s)))
    case 'oneof': {
      const v = (schema as OneofSchema<unknown>).variants
      return Math.max(v.length, ...v.map(([, s]) => variantCount(s)))
    }
    default:
      return 1
  }
}

type Step = string | number
interface Mutation {
  readonly kind: 'remove' | 'null' | 'duplicate' | 'unknown'
  /** Path to the object the mutation is made in. */
  readonly at: readonly Step[]
  /** The member removed, nulled or duplicated (not for `unknown`). */
  readonly member?: string
  /** Whether Materialize accepts the result (per {@link OPTIONAL}). */
  readonly accepted: boolean
  /** The JSON path the error must name. */
  readonly errorPath: readonly Step[]
}

/** Every mutation of a value of `schema` (its objects at every depth). */
function mutations(schema: Schema<unknown>, value: JsonValue, at: Step[] = []): Mutation[] {
  const out: Mutation[] = []
  switch (schema.type) {
    case 'option':
      return mutations((schema as WrapperSchema<unknown>).inner, value, at)
    case 'repeated':
      return (value as JsonValue[]).flatMap((v, i) => mutations((schema as WrapperSchema<unknown>).inner, v, [...at, i]))
    case 'message': {
      const m = schema as MessageSchema<unknown>
      for (const [k, s] of m.fields) {
        const optional = OPTIONAL.has(`${m.name}.${k}`)
        out.push({ kind: 'remove', at, member: k, accepted: optional, errorPath: [...at, k] })
        out.push({ kind: 'null', at, member: k, accepted: optional, errorPath: [...at, k] })
        out.push({ kind: 'duplicate', at, member: k, accepted: false, errorPath: [...at, k] })
        out.push(...mutations(s, (value as JsonObject)[k] as JsonValue, [...at, k]))
      }
      out.push({ kind: 'unknown', at, accepted: false, errorPath: [...at, UNKNOWN] })
      return out
    }
    case 'oneof': {
      const [tag] = Object.keys(value as JsonObject) as [string]
      const s = (schema as OneofSchema<unknown>).variants.find(([t]) => t === tag)?.[1] as Schema<unknown>
      // A oneof is an object with exactly one key: removing it or adding one is refused at the oneof.
      out.push({ kind: 'remove', at, member: tag, accepted: false, errorPath: at })
      out.push({ kind: 'null', at, member: tag, accepted: false, errorPath: [...at, tag] })
      out.push({ kind: 'duplicate', at, member: tag, accepted: false, errorPath: [...at, tag] })
      out.push({ kind: 'unknown', at, accepted: false, errorPath: at })
      out.push(...mutations(s, (value as JsonObject)[tag] as JsonValue, [...at, tag]))
      return out
    }
    default:
      return out
  }
}

/** The JSON text of `value` with `m` applied. */
function mutatedText(value: JsonValue, m: Mutation): string {
  const write = (v: JsonValue, path: Step[]): string => {
    if (typeof v !== 'object' || v === null) return canonicalJson(v)
    if (Array.isArray(v)) return `[${v.map((x, i) => write(x, [...path, i])).join(',')}]`
    const here = path.length === m.at.length && path.every((p, i) => p === m.at[i])
    const parts: string[] = []
    for (const [k, x] of Object.entries(v)) {
      const member = `${JSON.stringify(k)}:${write(x as JsonValue, [...path, k])}`
      if (!here || k !== m.member) {
        parts.push(member)
        continue
      }
      if (m.kind === 'null') parts.push(`${JSON.stringify(k)}:null`)
      else if (m.kind === 'duplicate') parts.push(member, member)
    }
    if (here && m.kind === 'unknown') parts.push(`${JSON.stringify(UNKNOWN)}:1`)
    return `{${parts.join(',')}}`
  }
  return write(value, [])
}

function pathText(prefix: string, steps: readonly Step[]): string {
  let s = prefix
  for (const p of steps) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`
  return s
}

interface Case {
  readonly version: CatalogVersion
  readonly collection: CollectionName
  readonly part: 'key' | 'value'
  readonly m: Mutation
  readonly keyText: string
  readonly valueText: string
}

/**
 * The versions with a schema set of their own (v43..v45 read exactly as v42 does: checking them
 * again would only repeat the same cases).
 */
const DISTINCT_VERSIONS: readonly CatalogVersion[] = CATALOG_VERSIONS.filter((v, i) => {
  if (i === 0) return true
  const prev = kindsForVersion(CATALOG_VERSIONS[i - 1] as number)
  return kindsForVersion(v).all.some((k, j) => k.key !== prev.all[j]?.key || k.value !== prev.all[j]?.value)
})

function* cases(): Generator<Case> {
  for (const version of DISTINCT_VERSIONS) {
    for (const collection of COLLECTION_NAMES) {
      const k = kindsForVersion(version).collection(collection)
      const n = Math.max(variantCount(k.key), variantCount(k.value))
      for (let pick = 0; pick < n; pick++) {
        const key = sample(k.key, pick)
        const value = sample(k.value, pick)
        for (const m of mutations(k.key, key)) {
          yield { version, collection, part: 'key', m, keyText: mutatedText(key, m), valueText: canonicalJson(value) }
        }
        for (const m of mutations(k.value, value)) {
          yield { version, collection, part: 'value', m, keyText: canonicalJson(key), valueText: mutatedText(value, m) }
        }
      }
    }
  }
}

const counts = { cases: 0, refused: 0, accepted: 0, editRefused: 0, deleteRefused: 0, fixtureRows: 0, fixtureRefused: 0 }

let t: TempStore
let store: ShardStore
let debug: DebugCatalog
let shard: string
before(async () => {
  t = tempStore('generated-rows')
  store = await t.open()
  shard = (await initializeCatalog(store, TEST_ORG, { replicaSize: '1' })).shards.catalog
  debug = await (await openUnopenedCatalog(store, TEST_ORG)).openDebug()
})
after(async () => {
  await store.close()
  t.cleanup()
  // The figures the closing report quotes.
  process.stdout.write(`# generated decoding cases: ${JSON.stringify(counts)}\n`)
})

function assertRefusedAt(run: () => unknown, path: string, what: string): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof ValidationError, `${what}: not a ValidationError: ${String(err)}`)
    assert.equal(err.path, path, `${what}: ${err.message}`)
    return true
  })
}

test('every field removed, nulled, duplicated or an unknown one added, at every depth: refused unless from_proto takes None', () => {
  for (const c of cases()) {
    counts.cases++
    const what = `v${c.version} ${c.collection} ${c.part} ${c.m.kind} ${pathText('', [...c.m.at, c.m.member ?? UNKNOWN])}`
    const run = () => (c.part === 'key' ? parseUserKey(c.collection, c.keyText, c) : parseUserValue(c.collection, c.valueText, c))
    if (c.m.accepted) {
      counts.accepted++
      assert.doesNotThrow(run, what)
    } else {
      counts.refused++
      assertRefusedAt(run, pathText(c.part, c.m.errorPath), what)
    }
  }
  assert.ok(counts.refused > 5000, `only ${counts.refused} refused cases`)
})

test('through a real store: edit and delete refuse them all (v47) and nothing is written', async () => {
  const before = await store.fetchRecentUpper(shard)
  for (const c of cases()) {
    if (c.version !== 47 || c.m.accepted) continue
    const what = `${c.collection} ${c.part} ${c.m.kind} ${pathText('', [...c.m.at, c.m.member ?? UNKNOWN])}`
    await assert.rejects(debug.edit(c.collection, c.keyText, c.valueText), (err: unknown) => {
      assert.ok(err instanceof ValidationError, `${what}: ${String(err)}`)
      assert.equal(err.path, pathText(c.part, c.m.errorPath), what)
      return true
    })
    counts.editRefused++
    if (c.part === 'key') {
      await assert.rejects(debug.delete(c.collection, c.keyText), ValidationError, what)
      counts.deleteRefused++
    }
  }
  assert.equal(await store.fetchRecentUpper(shard), before, 'nothing written')
})

test('whole rows through the fixture line parser: top-level fields too, each version by itself', () => {
  assert.deepEqual(DISTINCT_VERSIONS, [42, 46, 47])
  for (const version of DISTINCT_VERSIONS) {
    const header = parseHeader(
      `{"format":"catalog-debug-fixture","version":1,"organization_id":"${TEST_ORG}","since":0,"upper":9,"catalog_version":${version},"consolidated":false}`,
      { file: 'f', line: 1 },
    )
    const validate = (row: JsonValue) => validateRowAt(row, version)
    for (const collection of COLLECTION_NAMES) {
      const k = kindsForVersion(version).collection(collection)
      const n = Math.max(variantCount(k.key), variantCount(k.value))
      for (let pick = 0; pick < n; pick++) {
        const row: JsonObject = { key: sample(k.key, pick), kind: k.kind }
        if (!k.keyOnly) row.value = sample(k.value, pick)
        const line = (text: string) => `{"ts":1,"diff":1,"data":${text}}`
        assert.doesNotThrow(() => parseUpdate(line(canonicalJson(row)), { file: 'f', line: 2 }, header, validate))
        // The top level: key, kind, value (the key-only kinds have none: adding one is an unknown field).
        const top: Mutation[] = []
        for (const member of Object.keys(row)) {
          for (const kind of ['remove', 'null', 'duplicate'] as const)
            top.push({ kind, at: [], member, accepted: false, errorPath: [member] })
        }
        top.push({ kind: 'unknown', at: [], accepted: false, errorPath: [UNKNOWN] })
        const nested = [
          ...mutations(k.key, row.key as JsonValue, ['key']),
          ...(k.keyOnly ? [] : mutations(k.value, row.value as JsonValue, ['value'])),
        ]
        for (const m of [...top, ...nested]) {
          counts.fixtureRows++
          const text = line(mutatedText(row, m))
          const run = () => parseUpdate(text, { file: 'f', line: 2 }, header, validate)
          const what = `v${version} ${collection} row ${m.kind} ${pathText('', [...m.at, m.member ?? UNKNOWN])}`
          if (m.accepted) {
            assert.doesNotThrow(run, what)
            continue
          }
          counts.fixtureRefused++
          assert.throws(run, (err: unknown) => {
            assert.ok(err instanceof FixtureError, `${what}: ${String(err)}`)
            // The error names the field under `data` (a duplicate is found by the parser, at its path).
            assert.match(err.message, new RegExp(`^f:2: ${escapeRegExp(pathText('data', m.errorPath))}: `), what)
            return true
          })
        }
      }
    }
  }
})

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
