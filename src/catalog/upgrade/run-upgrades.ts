/**
 * Runs the catalog migrations from the stored `user_version` up to {@link CATALOG_VERSION}
 * (Materialize's `upgrade::persist::upgrade`).
 *
 * Each step decodes the current rows it reads with the old version's schemas, turns its actions
 * into updates (retractions use the stored text, so they cancel the stored bytes exactly, even
 * for rows an older build wrote), appends the `user_version` bump (retract old, insert new), and
 * hands the updates to the host, which commits them at one timestamp (writable) or applies them
 * in memory (savepoint). Steps run one at a time so that each sees the previous step's result.
 */

import { CatalogDebugError, IncompatibleCatalogVersionError } from '../../errors.js'
import type { JsonValue } from '../../json/lossless-json.js'
import { decodeRow, encodeRow, keyLookup, rowLookup } from '../codec/row-codec.js'
import type { CollectionKindName } from '../kinds/kind-names.js'
import { KIND_COLLECTIONS, type CollectionName } from '../kinds/collections.js'
import type { CatalogState, StateUpdate } from '../catalog-state.js'
import { CATALOG_VERSION, MIN_CATALOG_VERSION, USER_VERSION_KEY } from '../constants.js'
import type { MigrationAction, MigrationStep, OldRow } from './migration.js'
import { v42ToV43 } from './v42-to-v43.js'
import { v43ToV44 } from './v43-to-v44.js'
import { v44ToV45 } from './v44-to-v45.js'
import { v45ToV46 } from './v45-to-v46.js'
import { v46ToV47 } from './v46-to-v47.js'

/** Every step, by the version it starts from. */
export const MIGRATION_STEPS: readonly MigrationStep[] = [v42ToV43, v43ToV44, v44ToV45, v45ToV46, v46ToV47]

/**
 * The kinds the migrations need in memory: those a step reads or inserts into, and `Config`
 * (`user_version`). An open that runs them holds at least these (`OpenOptions.leaveOut`).
 */
export const MIGRATION_KINDS: ReadonlySet<CollectionKindName> = new Set([
  'Config',
  ...MIGRATION_STEPS.flatMap((s) => [...s.reads, ...(s.inserts ?? [])]),
])

/** One change a step made (or would make), for reports. Keys and values in proto order. */
export interface UpgradeChange {
  readonly action: 'delete' | 'insert' | 'update'
  readonly collection: CollectionName
  readonly key: JsonValue
  /** The old value (`null` for an insert, and for key-only collections). */
  readonly before: JsonValue
  /** The new value (`null` for a delete). */
  readonly after: JsonValue
}

export interface UpgradeStepReport {
  readonly from: number
  readonly to: number
  readonly changes: UpgradeChange[]
}

/** What runs the steps' updates: the opened catalog in its mode. */
export interface UpgradeHost {
  readonly state: CatalogState
  /** Commits one step's updates (writable: one compare-and-append; savepoint: in memory). */
  applyMigrationStep(updates: readonly StateUpdate[]): Promise<void>
}

/** `incompatible Catalog version {found}, minimum: 42, current: 47`. */
export function incompatibleCatalogVersion(found: bigint): IncompatibleCatalogVersionError {
  return new IncompatibleCatalogVersionError(
    `incompatible Catalog version ${found}, minimum: ${MIN_CATALOG_VERSION}, current: ${CATALOG_VERSION}`,
    { details: { foundVersion: found, minimumVersion: MIN_CATALOG_VERSION, currentVersion: CATALOG_VERSION } },
  )
}

/** Refuses versions this build cannot migrate (older than 42 or newer than 47). */
export function checkCatalogVersion(version: bigint): void {
  if (version < BigInt(MIN_CATALOG_VERSION) || version > BigInt(CATALOG_VERSION)) throw incompatibleCatalogVersion(version)
}

/**
 * Migrates the host's catalog from `version` to {@link CATALOG_VERSION}, one step at a time.
 * Returns what each step changed. Throws {@link IncompatibleCatalogVersionError} for versions
 * outside 42..47, and a `CatalogDebugError` (`invalid-catalog-data`) when a row a step reads does
 * not decode with its version's schema or a step would insert an existing key.
 */
export async function runUpgrades(host: UpgradeHost, version: bigint): Promise<UpgradeStepReport[]> {
  checkCatalogVersion(version)
  const reports: UpgradeStepReport[] = []
  for (let v = Number(version); v < CATALOG_VERSION; v++) {
    const step = MIGRATION_STEPS.find((s) => s.from === v)
    if (step === undefined) throw incompatibleCatalogVersion(BigInt(v))
    reports.push(await runStep(host, step))
  }
  return reports
}

async function runStep(host: UpgradeHost, step: MigrationStep): Promise<UpgradeStepReport> {
  const rows = readOldRows(host.state, step)
  const actions = step.migrate(rows)
  const updates: StateUpdate[] = []
  const changes: UpgradeChange[] = []
  for (const a of actions) applyAction(host.state, step, a, updates, changes)

  // The version bump. Configs are wire compatible across versions, so the new row is encoded
  // with the current schema; the old one is retracted with its stored text.
  const versionKey = { key: USER_VERSION_KEY }
  const stored = host.state.table('Config').get(keyLookup('Config', versionKey)[1])
  for (const r of stored?.rows ?? []) updates.push({ data: r.data, diff: -r.count })
  updates.push({ data: encodeRow('Config', versionKey, { value: BigInt(step.to) }), diff: 1n })

  await host.applyMigrationStep(updates)
  return { from: step.from, to: step.to, changes }
}

function readOldRows(state: CatalogState, step: MigrationStep): OldRow[] {
  const rows: OldRow[] = []
  for (const kind of step.reads) {
    for (const [keyText, entry] of state.table(kind)) {
      if (entry.rows.length !== 1 || entry.rows[0]!.count !== 1n) {
        // A migration rewrites a key by retracting its one row; with several rows (or one row
        // current several times) it cannot tell which value to migrate.
        const listed = entry.rows.map((r) => `${r.data.slice(0, 200)} (diff ${r.count})`)
        throw new CatalogDebugError(
          'invalid-catalog-data',
          'failure',
          `invalid catalog data persisted: ${kind} key ${keyText} is not exactly one current row: ${listed.join(', ')}; repair it with \`delete\` first`,
          { details: { key: keyText, rows: entry.rows.map((r) => ({ row: r.data.slice(0, 500), diff: r.count.toString() })) } },
        )
      }
      for (const { data: text } of entry.rows) {
        const r = decodeRow(text, step.from)
        if (!r.ok || r.row.kind === 'Epoch') {
          throw new CatalogDebugError(
            'invalid-catalog-data',
            'failure',
            `invalid catalog data persisted: a ${kind} row does not decode as catalog version ${step.from}: ${r.ok ? 'not a collection row' : r.reason}`,
            { details: { row: text.slice(0, 500) } },
          )
        }
        rows.push({ kind: r.row.kind, key: r.row.key, value: r.row.value, text })
      }
    }
  }
  return rows
}

function applyAction(state: CatalogState, step: MigrationStep, a: MigrationAction, updates: StateUpdate[], changes: UpgradeChange[]): void {
  switch (a.action) {
    case 'delete':
      updates.push({ data: a.row.text, diff: -1n })
      changes.push({ action: 'delete', collection: KIND_COLLECTIONS[a.row.kind], key: a.row.key, before: a.row.value, after: null })
      return
    case 'insert': {
      const { kind, key, value } = a.row
      if (state.table(kind).has(keyLookup(kind, key)[1]) && !isDeletedBy(updates, kind, key)) {
        throw new CatalogDebugError(
          'invalid-catalog-data',
          'failure',
          `migration v${step.from} to v${step.to} would insert ${KIND_COLLECTIONS[kind]} key ${keyLookup(kind, key)[1]}, which already exists`,
        )
      }
      const data = encodeRow(kind, key, value, step.to)
      updates.push({ data, diff: 1n })
      changes.push({
        action: 'insert',
        collection: KIND_COLLECTIONS[kind],
        key: displayKey(data, step.to, key),
        before: null,
        after: displayValue(data, step.to, value),
      })
      return
    }
    case 'update': {
      const { before, after } = a
      const data = encodeRow(before.kind, before.key, after, step.to)
      if (data === before.text) return // re-encodes to the stored bytes: nothing to change
      updates.push({ data: before.text, diff: -1n }, { data, diff: 1n })
      changes.push({
        action: 'update',
        collection: KIND_COLLECTIONS[before.kind],
        key: before.key,
        before: before.value,
        after: displayValue(data, step.to, after),
      })
      return
    }
  }
}

/** Whether an earlier action of the same step retracted the key (delete then insert is fine). */
function isDeletedBy(updates: readonly StateUpdate[], kind: CollectionKindName, key: JsonValue): boolean {
  const target = keyLookup(kind, key)[1]
  return updates.some((u) => {
    if (u.diff >= 0n) return false
    const [k, keyText] = rowLookup(u.data)
    return k === kind && keyText === target
  })
}

/** The new row's key and value in proto order (decoded with the new version's schema). */
function displayKey(data: string, version: number, fallback: JsonValue): JsonValue {
  const r = decodeRow(data, version)
  return r.ok && r.row.kind !== 'Epoch' ? r.row.key : fallback
}

function displayValue(data: string, version: number, fallback: JsonValue): JsonValue {
  const r = decodeRow(data, version)
  return r.ok && r.row.kind !== 'Epoch' ? r.row.value : fallback
}
