/**
 * The frozen schema set of every supported catalog version: each collection's key and value
 * schemas as that version wrote them, as Materialize keeps one frozen `objects_vNN.proto` per
 * version (`src/catalog/protos/`).
 *
 * Upgrades must decode (and retract) old rows with the schemas of the version that wrote them, so
 * every reader chooses schemas by version. The sets are derived from the collection records
 * (`collections.ts`): a version uses, for each collection, the shape introduced at the greatest
 * version not above it. `test/kinds/schema-sets.test.ts` pins the description of every set, so a
 * change to a shape an old version uses fails a test instead of silently changing that version.
 */

import { IncompatibleCatalogVersionError } from '../../errors.js'
import type { JsonObject, JsonValue } from '../../json/lossless-json.js'
import { COLLECTIONS, type CollectionName } from './collections.js'
import { KIND_NAMES, type CollectionKindName } from './kind-names.js'
import { i64, unit, type MessageSchema, type Schema } from './schema.js'
import { CATALOG_VERSION, CATALOG_VERSIONS, isSupportedCatalogVersion, MIN_CATALOG_VERSION, type CatalogVersion } from './versions.js'

/** The schemas of one collection at one catalog version. */
export interface KindSchema {
  readonly kind: CollectionKindName
  readonly collection: CollectionName
  readonly key: MessageSchema<JsonObject>
  /** The value schema; {@link unit} (JSON `null`) for the key-only kinds. */
  readonly value: Schema<JsonValue>
  /** The value is Rust `()` ({@link unit}): rows have no `value` field. */
  readonly keyOnly: boolean
}

/** Every collection's schemas at one catalog version. */
export interface KindSet {
  readonly version: CatalogVersion
  /** All 18 collections, in proto field order of their kinds. */
  readonly all: readonly KindSchema[]
  kind(kind: CollectionKindName): KindSchema
  collection(collection: CollectionName): KindSchema
}

/** The `epoch` field of the `Epoch` row (`int64`; Rust's `NonZeroI64` is enforced by environmentd, not here). */
export const EPOCH_FIELD: Schema<bigint> = i64

function buildSet(version: CatalogVersion): KindSet {
  const byKind = new Map<string, KindSchema>()
  const byCollection = new Map<string, KindSchema>()
  const all: KindSchema[] = []
  const inKindOrder = [...COLLECTIONS].sort((a, b) => KIND_NAMES.indexOf(a.kind) - KIND_NAMES.indexOf(b.kind))
  for (const c of inKindOrder) {
    let shape: (typeof c.shapes)[CatalogVersion]
    for (const v of CATALOG_VERSIONS) if (v <= version && c.shapes[v] !== undefined) shape = c.shapes[v]
    if (shape === undefined) throw new TypeError(`collection ${c.name} has no shape at catalog version ${version}`)
    const [key, value] = shape
    const k: KindSchema = Object.freeze({ kind: c.kind, collection: c.name, key, value, keyOnly: value === unit })
    byKind.set(c.kind, k)
    byCollection.set(c.name, k)
    all.push(k)
  }
  return Object.freeze({
    version,
    all: Object.freeze(all),
    kind: (kind: CollectionKindName) => byKind.get(kind) as KindSchema,
    collection: (c: CollectionName) => byCollection.get(c) as KindSchema,
  })
}

const SETS = new Map<number, KindSet>(CATALOG_VERSIONS.map((v) => [v, buildSet(v)]))

/**
 * The schemas of catalog `version` (default: the current one). Throws
 * {@link IncompatibleCatalogVersionError} outside the supported range, with Materialize's message.
 */
export function kindsForVersion(version: number = CATALOG_VERSION): KindSet {
  const set = isSupportedCatalogVersion(version) ? SETS.get(version) : undefined
  if (set === undefined) {
    throw new IncompatibleCatalogVersionError(
      `incompatible Catalog version ${version}, minimum: ${MIN_CATALOG_VERSION}, current: ${CATALOG_VERSION}`,
    )
  }
  return set
}
