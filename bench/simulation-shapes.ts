/**
 * The pieces of the catalog simulation that depend on the catalog version or are plain data:
 * item types and their SQL, the v42/v47 shapes, how the initial rows are turned into a variant,
 * and small helpers on ids.
 */

import type { JsonObject, JsonValue } from '../src/json/lossless-json.js'
import { decodeRow, encodeRow } from '../src/catalog/codec/row-codec.js'
import { managedClusterConfig, stringWrapper } from '../src/catalog/object-builders.js'
import type { Rng } from './rng.js'

/** Which catalog version's shapes the simulation writes. */
/**
 * `v47`: a deployment's catalog; `v42`: the same kept at v42 shapes (for upgrade-check); `audit`: a
 * long-lived environment whose catalog is mostly audit events (objects come and go, their events stay).
 */
export type CatalogVariant = 'v47' | 'v42' | 'audit'

export const ITEM_TYPES = ['Table', 'View', 'MaterializedView', 'Source', 'Sink', 'Index', 'Secret', 'Connection'] as const
export type ItemType = (typeof ITEM_TYPES)[number]
export const ITEM_TYPE_WEIGHTS = [30, 20, 15, 8, 4, 15, 4, 4]
export const SQL_TYPE: Record<ItemType, string> = {
  Table: 'TABLE',
  View: 'VIEW',
  MaterializedView: 'MATERIALIZED VIEW',
  Source: 'SOURCE',
  Sink: 'SINK',
  Index: 'INDEX',
  Secret: 'SECRET',
  Connection: 'CONNECTION',
}
/**
 * How a stored CREATE statement names an item: `database.schema.name`, except an index, which
 * names itself alone (it lives in the schema of what it is on). A rename rewrites this head, as
 * Materialize rewrites `create_sql` on ALTER … RENAME.
 */
export function createHead(type: ItemType, db: string, schema: string, name: string): string {
  return type === 'Index' ? `CREATE INDEX ${name}` : `CREATE ${SQL_TYPE[type]} ${db}.${schema}.${name}`
}

export const SIZES = ['25cc', '50cc', '100cc', '200cc', '400cc'] as const
export const USERS = ['alice@example.com', 'bob@example.com', 'ci-bot@example.com', 'dbt@example.com', null] as const

/** The row shapes a variant uses (the audit-heavy one is a v47 deployment). */
export function shapesOf(variant: CatalogVariant): 'v47' | 'v42' {
  return variant === 'v42' ? 'v42' : 'v47'
}

/** The shapes that differ between the variants. */
export interface VariantShapes {
  readonly version: number
  clusterValue(name: string, owner: JsonValue, privileges: JsonValue[], size: string): JsonObject
  sourceSinkDetails(id: string, name: JsonObject, size: string): JsonObject
}

export const SHAPES: Record<'v47' | 'v42', VariantShapes> = {
  v47: {
    version: 47,
    clusterValue: (name, owner, privileges, size) => ({
      name,
      owner_id: owner,
      privileges,
      config: managedClusterConfig({ size, replicationFactor: 1n }),
    }),
    sourceSinkDetails: (id, name) => ({ CreateSourceSinkV3: { id, name, external_type: 'kafka' } }),
  },
  v42: {
    version: 42,
    clusterValue: (name, owner, privileges, size) => ({
      name,
      linked_object_id: null,
      owner_id: owner,
      privileges,
      config: v42ClusterConfig(managedClusterConfig({ size, replicationFactor: 1n })),
    }),
    sourceSinkDetails: (id, name, size) => ({ CreateSourceSinkV2: { id, name, size: stringWrapper(size), external_type: 'kafka' } }),
  },
}

/** A v47 `ClusterConfig` without the field v47 added. */
function v42ClusterConfig(config: JsonObject): JsonObject {
  const variant = config.variant as JsonObject
  const managed = variant.Managed as JsonObject | undefined
  if (managed === undefined) return config
  const { optimizer_feature_overrides: _dropped, ...rest } = managed
  return { variant: { Managed: rest } }
}

/** The legacy system variable v44→v45 turns into the `system_config_synced` config. */
export const LEGACY_SYNCED_ONCE = 'config_has_synced_once'

/**
 * Turns the initial rows of a fresh v47 catalog into the variant's shapes: for v42, clusters gain
 * `linked_object_id` and lose `optimizer_feature_overrides`, `user_version` is 42 and the synced
 * flag lives in the legacy system variable. For v47, the catalog is made to look as if it had been
 * created at v44 (it is migrated during the simulated history).
 */
export function initialRowsFor(variant: CatalogVariant, rows: readonly string[]): string[] {
  const out: string[] = []
  for (const text of rows) {
    const r = decodeRow(text)
    if (!r.ok) throw new Error(`initial catalog row does not decode: ${r.reason}`)
    const row = r.row
    if (row.kind === 'Epoch') continue // the generator writes its own epoch rows
    if (row.kind === 'Config' && (row.key.key === 'user_version' || row.key.key === 'system_config_synced')) continue
    if (variant === 'v42' && row.kind === 'Cluster') {
      const v = row.value as JsonObject
      out.push(
        encodeRow(
          'Cluster',
          row.key,
          {
            name: v.name!,
            linked_object_id: null,
            owner_id: v.owner_id!,
            privileges: v.privileges!,
            config: v42ClusterConfig(v.config as JsonObject),
          },
          42,
        ),
      )
      continue
    }
    out.push(encodeRow(row.kind, row.key, row.value, SHAPES[shapesOf(variant)].version))
  }
  const version = variant === 'v42' ? 42n : 44n
  out.push(encodeRow('Config', { key: 'user_version' }, { value: version }, SHAPES[shapesOf(variant)].version))
  out.push(encodeRow('ServerConfiguration', { name: LEGACY_SYNCED_ONCE }, { value: 'on' }, SHAPES[shapesOf(variant)].version))
  return out
}

export const AUDIT_OBJECT: Record<ItemType, bigint> = {
  Table: 13n,
  View: 15n,
  MaterializedView: 7n,
  Source: 12n,
  Sink: 11n,
  Index: 6n,
  Secret: 9n,
  Connection: 3n,
}

export function commentVariant(type: ItemType): string {
  return type === 'Index' ? 'Index' : type
}

export function createBody(type: ItemType, rng: Rng): string {
  switch (type) {
    case 'Table':
      return `(id bigint NOT NULL, payload text, created_at timestamptz, amount numeric(${rng.int(10, 38)}, 2))`
    case 'View':
    case 'MaterializedView':
      return `AS SELECT id, count(*) AS n, sum(amount) AS total FROM t_${rng.word(6)} WHERE amount > ${rng.int(0, 1000)} GROUP BY id`
    case 'Source':
      return `IN CLUSTER c_${rng.word(4)} FROM KAFKA CONNECTION kafka_conn (TOPIC 'events.${rng.word(8)}') FORMAT JSON`
    case 'Sink':
      return `FROM mv_${rng.word(6)} INTO KAFKA CONNECTION kafka_conn (TOPIC 'out.${rng.word(8)}') FORMAT JSON ENVELOPE DEBEZIUM`
    case 'Index':
      return `ON t_${rng.word(6)} (id)`
    case 'Secret':
      return `AS '${rng.word(24)}'`
    case 'Connection':
      return `TO KAFKA (BROKER 'broker-${rng.int(1, 9)}.example.com:9092', SECURITY PROTOCOL = 'PLAINTEXT')`
  }
}

export function sameId(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return a !== undefined && b !== undefined && idText(a) === idText(b)
}

function idText(v: JsonValue): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))
}

/** `RoleId` order: System < User < Public, then by number (the map is a Rust BTreeMap). */
export function roleOrder(id: JsonValue): number {
  const v = (id as JsonObject).value as JsonObject
  if ('System' in v) return Number(v.System)
  if ('User' in v) return 1e12 + Number(v.User)
  return 2e12
}
