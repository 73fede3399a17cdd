/**
 * Reading the catalog shard at one consistent point, through the store's lookup index.
 *
 * A read point is `asOf = upper − 1` (advanced to the since if compaction got ahead): everything
 * at or before it is sealed, so every read at it sees the same contents, however many writers
 * append meanwhile. Reads select rows by kind (and key) through the lookup columns, so finding the
 * epoch, the configs or one key costs the same on a ten-row and a ten-million-row catalog.
 */

import { CatalogDebugError, NotFoundError, SinceError, StoreCorruptError } from '../errors.js'
import type { ShardStore, SnapshotOptions, Update } from '../store/shard-store.js'
import { parseJson, type JsonValue } from '../json/lossless-json.js'
import { decodeRow, keyLookup } from './codec/row-codec.js'
import type { KindName } from './kinds/kind-names.js'

/** A consistent point to read a shard at. */
export interface ReadPoint {
  /** The time every read of this point is as of. */
  readonly asOf: bigint
  /** The upper the reads correspond to (`asOf + 1`): a write based on them must expect it. */
  readonly upper: bigint
}

/**
 * The current read point of `shard`, or `null` when nothing was ever written to it (upper 0:
 * the shard is absent or brand new, and so uninitialised). Never writes.
 */
export async function currentReadPoint(store: ShardStore, shard: string): Promise<ReadPoint | null> {
  const upper = await store.fetchRecentUpper(shard)
  if (upper === null) throw finishedShard(shard)
  if (upper === 0n) return null
  const since = await store.fetchSince(shard)
  if (since === null) throw finishedShard(shard)
  if (since >= upper) {
    // A since at or past the upper leaves no readable time: a read would wait for the upper
    // forever (and a retry would find the same state). That is damaged state, not a race.
    const latest = await store.fetchRecentUpper(shard)
    if (latest === null) throw finishedShard(shard)
    if (since >= latest) {
      throw new StoreCorruptError(
        `catalog shard ${shard} has since ${since} at or past its upper ${latest}: no time is readable (the since must stay below the upper)`,
      )
    }
    // The upper moved on after we read it: read at the since, which is below the new upper.
    return { asOf: since, upper: since + 1n }
  }
  return { asOf: upper - 1n, upper }
}

function finishedShard(shard: string): StoreCorruptError {
  return new StoreCorruptError(`catalog shard ${shard} is finished (its upper is the empty frontier); a catalog shard never is`)
}

/**
 * Runs `read` at a fresh read point, starting over (a bounded number of times) when compaction
 * moved the since past the point mid-read. `read` receives `null` for a never-written shard.
 */
export async function atConsistentPoint<T>(store: ShardStore, shard: string, read: (point: ReadPoint | null) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const point = await currentReadPoint(store, shard)
    try {
      return await read(point)
    } catch (err) {
      if (!(err instanceof SinceError) || attempt >= 9) throw err
    }
  }
}

/**
 * The read point of a past time `asOf` (time travel): any time below the upper is sealed, so it
 * reads the same however often it is read. `null` when nothing was ever written. At or after the
 * upper (not sealed yet) is a {@link NotFoundError} that says which times are readable. How far
 * back a read may go is the store's to say: a read below its readable since is a `SinceError`,
 * which {@link asOfSinceError} turns into the operator's error. Never writes.
 */
export async function pastReadPoint(store: ShardStore, shard: string, asOf: bigint): Promise<ReadPoint | null> {
  const upper = await store.fetchRecentUpper(shard)
  if (upper === null) throw finishedShard(shard)
  if (upper === 0n) return null
  if (asOf >= upper) {
    throw new NotFoundError(
      `as of ${asOf} is not readable yet: the catalog's upper is ${upper}, so the latest readable time is ${upper - 1n}`,
      {
        code: 'as-of-not-readable',
        hint: `choose a time below ${upper}`,
      },
    )
  }
  return { asOf, upper: asOf + 1n }
}

/**
 * The operator's error for a read at `asOf` that the store refused as below its since (exit 3,
 * saying what the since is); other errors are returned as they are.
 */
export function asOfSinceError(asOf: bigint, err: unknown): unknown {
  if (!(err instanceof SinceError) || typeof err.since !== 'bigint') return err
  const since = err.since
  return new NotFoundError(
    `as of ${asOf} is before the catalog's since ${since}: the history before ${since} has been compacted and is no longer readable`,
    { code: 'as-of-before-since', hint: `choose a time from ${since} on` },
  )
}

/**
 * {@link atConsistentPoint} at a chosen time: `asOf` undefined reads the current point (starting
 * over when compaction passes it), a time reads that past point (see {@link pastReadPoint}); if
 * compaction passes a past point mid-read, the read fails saying so, since that time is gone.
 */
export async function atReadPoint<T>(
  store: ShardStore,
  shard: string,
  asOf: bigint | undefined,
  read: (point: ReadPoint | null) => Promise<T>,
): Promise<T> {
  if (asOf === undefined) return atConsistentPoint(store, shard, read)
  const point = await pastReadPoint(store, shard, asOf)
  try {
    return await read(point)
  } catch (err) {
    throw asOfSinceError(asOf, err)
  }
}

/** Consolidated rows of one kind (or one key of it) at `asOf`. */
export async function readRows(
  store: ShardStore,
  shard: string,
  asOf: bigint,
  kind: KindName,
  keyText?: string,
  opts: Omit<SnapshotOptions, 'where'> = {},
): Promise<Update[]> {
  return store.snapshot(shard, asOf, { ...opts, where: keyText === undefined ? { a: kind } : { a: kind, b: keyText } })
}

/** A stored row and how many times it is current (its consolidated diff); never expanded. */
export interface StoredRow {
  readonly data: string
  readonly count: bigint
}

/** The epoch rows at a point: each current `Epoch` row's stored text and value. */
export interface EpochState {
  /** The current epoch (the largest, should there be several), or `null` when there is none. */
  readonly epoch: bigint | null
  /** Every current epoch row (normally one, each with count 1), to retract exactly when bumping. */
  readonly rows: readonly StoredRow[]
}

/**
 * Reads the current epoch through the lookup index. Rows that do not decode are ignored. An epoch
 * row whose consolidated diff is not 1 (a duplicate or a negative count) is corruption: the epoch
 * cannot be bumped by retracting it, so this throws `invalid-catalog-data` instead of guessing.
 */
export async function readEpoch(store: ShardStore, shard: string, asOf: bigint): Promise<EpochState> {
  let epoch: bigint | null = null
  const rows: StoredRow[] = []
  for (const u of await readRows(store, shard, asOf, 'Epoch')) {
    if (u.diff !== 1n) {
      throw new CatalogDebugError(
        'invalid-catalog-data',
        'failure',
        `invalid catalog data persisted: the epoch row ${u.data.slice(0, 200)} has diff ${u.diff} at ${asOf} (an epoch row is current exactly once)`,
        { details: { row: u.data.slice(0, 500), diff: u.diff.toString() } },
      )
    }
    const r = decodeRow(u.data)
    if (!r.ok || r.row.kind !== 'Epoch') continue
    rows.push({ data: u.data, count: u.diff })
    if (epoch === null || r.row.epoch > epoch) epoch = r.row.epoch
  }
  return { epoch, rows }
}

/** One current config entry: its value and the stored row(s) to retract it with. */
export interface ConfigEntry {
  readonly value: bigint
  readonly rows: readonly StoredRow[]
}

/**
 * Reads the `config` collection (small by construction) through the lookup index. Config rows are
 * wire compatible across every catalog version, so they are read without a version's schema.
 */
export async function readConfigs(store: ShardStore, shard: string, asOf: bigint): Promise<Map<string, ConfigEntry>> {
  const out = new Map<string, { value: bigint; rows: StoredRow[] }>()
  for (const u of await readRows(store, shard, asOf, 'Config')) {
    if (u.diff <= 0n) continue
    const parsed = configOf(u.data)
    if (parsed === undefined) continue
    const entry = out.get(parsed.key) ?? { value: parsed.value, rows: [] }
    entry.rows.push({ data: u.data, count: u.diff })
    out.set(parsed.key, entry)
  }
  return out
}

function configOf(text: string): { key: string; value: bigint } | undefined {
  let doc: JsonValue
  try {
    doc = parseJson(text)
  } catch {
    return undefined
  }
  const row = doc as { key?: { key?: JsonValue }; value?: { value?: JsonValue } }
  const key = row.key?.key
  const value = row.value?.value
  return typeof key === 'string' && typeof value === 'bigint' ? { key, value } : undefined
}

/** Reads one `setting` value (a string) through the lookup index, or `null` when absent. */
export async function readSetting(store: ShardStore, shard: string, asOf: bigint, name: string): Promise<string | null> {
  const keyText = keyLookup('Setting', { name })[1]
  for (const u of await readRows(store, shard, asOf, 'Setting', keyText)) {
    if (u.diff <= 0n) continue
    const r = decodeRow(u.data)
    if (r.ok && r.row.kind === 'Setting') {
      const v = (r.row.value as { value?: JsonValue } | null)?.value
      if (typeof v === 'string') return v
    }
  }
  return null
}
