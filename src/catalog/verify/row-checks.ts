/**
 * Row-level checks over a consolidated catalog: every row is one Materialize can read with the
 * schemas of the catalog's own version, by the boundary rule of docs/materialize-parity.md (no
 * required field null or missing, no duplicate key, no unknown field); it is stored canonically,
 * has multiplicity 1, each key has one value; exactly one epoch and one `user_version`.
 */

import { decodeRow, unknownFieldNotes, type CollectionRow } from '../codec/row-codec.js'
import { canonicalJson, compareCodePoints, isJsonObject, parseJson, type JsonValue } from '../../json/lossless-json.js'
import { runPrefix } from '../codec/row-prefix.js'
import { USER_VERSION_KEY } from '../constants.js'
import { isLargeCollection, type CollectionName } from '../kinds/collections.js'
import { CATALOG_VERSION, isSupportedCatalogVersion, MIN_CATALOG_VERSION } from '../kinds/versions.js'
import { finding, type Finding } from './findings.js'
import { itemFacts, type ItemFacts } from './item-facts.js'
import { flatString } from '../flat-string.js'

/** A consolidated row: its stored text and multiplicity. */
export interface RowCount {
  readonly data: string
  readonly diff: bigint
}

/** Ids found in a large collection, without its rows: what the id-allocator check needs. */
export interface LargeIds {
  /** Every id in use. */
  readonly ids: bigint[]
  /** The row of the largest id. */
  max: CollectionRow | undefined
  maxId: bigint | undefined
}

/**
 * What the semantic checks read: the decoded rows of the small collections but items, and of the
 * items and the large collections only compact facts. Items are most of a large catalog and the
 * large collections the rest, so a streamed `verify` holds neither decoded.
 */
export interface CatalogIndex {
  /** The version whose schemas decoded the rows. */
  readonly version: number
  /** Decoded rows of every collection but `item` and the large ones. */
  readonly byCollection: ReadonlyMap<CollectionName, readonly CollectionRow[]>
  /** What the checks need of each `item` row, in the order read. */
  readonly items: readonly ItemFacts[]
  /** The ids of the large collections (`audit_log`, `storage_usage`). */
  readonly largeIds: ReadonlyMap<CollectionName, LargeIds>
}

/** Every decoded row of the small collections (items included), for `repair`, beside the index. */
export interface DecodedCatalog {
  readonly version: number
  readonly byCollection: ReadonlyMap<CollectionName, readonly CollectionRow[]>
  readonly index: CatalogIndex
}

function tryParse(text: string): JsonValue | undefined {
  try {
    return parseJson(text)
  } catch {
    return undefined
  }
}

/** The `user_version` rows among `rows` (any order; the Config rows suffice). */
function statedVersions(rows: readonly RowCount[]): { row: RowCount; value: JsonValue }[] {
  const out: { row: RowCount; value: JsonValue }[] = []
  for (const r of rows) {
    if (!r.data.includes(`"${USER_VERSION_KEY}"`)) continue
    const doc = tryParse(r.data)
    if (!isJsonObject(doc) || doc.kind !== 'Config' || !isJsonObject(doc.key) || doc.key.key !== USER_VERSION_KEY) continue
    out.push({ row: r, value: isJsonObject(doc.value) ? (doc.value.value ?? null) : null })
  }
  return out
}

/**
 * The catalog version the rows state (`user_version`, which chooses the schemas the rows decode
 * with; 47 when there is none or it is unusable) and the findings about it.
 */
export function statedVersion(rows: readonly RowCount[]): { version: number; findings: Finding[] } {
  const findings: Finding[] = []
  const versions = statedVersions(rows).filter((v) => v.row.diff > 0n)
  let version: number = CATALOG_VERSION
  if (versions.length === 0) {
    findings.push(
      finding('user-version', 'error', `no Config ${USER_VERSION_KEY} row: the catalog is not initialised, or the row was deleted`),
    )
  } else if (versions.length > 1) {
    findings.push(
      finding(
        'user-version',
        'error',
        `${versions.length} Config ${USER_VERSION_KEY} rows (${versions.map((v) => canonicalJson(v.value)).join(', ')}); exactly one expected`,
        versions.map((v) => v.row.data),
      ),
    )
  } else {
    const v = (versions[0] as { row: RowCount; value: JsonValue }).value
    if (typeof v === 'bigint' && isSupportedCatalogVersion(Number(v))) {
      version = Number(v)
    } else {
      findings.push(
        finding(
          'user-version',
          'error',
          `incompatible Catalog version ${canonicalJson(v)}, minimum: ${MIN_CATALOG_VERSION}, current: ${CATALOG_VERSION}`,
          [(versions[0] as { row: RowCount }).row.data],
        ),
      )
    }
  }
  return { version, findings }
}

/** The id a row of a large collection holds (the event's or the usage record's `id`). */
function largeRowId(row: CollectionRow): bigint | undefined {
  const field = row.collection === 'audit_log' ? row.key.event : row.key.usage
  const v1 = isJsonObject(field ?? null) ? (field as { V1?: JsonValue }).V1 : undefined
  const id = isJsonObject(v1 ?? null) ? (v1 as { id?: JsonValue }).id : undefined
  return typeof id === 'bigint' ? id : undefined
}

/**
 * The row-level checks, fed one consolidated row at a time **in data byte order** (a store's
 * consolidated stream): memory holds the rows the semantic checks need, but of the large
 * collections only their ids, and of the one-value-per-key check only the current run of one
 * (key, kind) (see `codec/row-prefix.ts`), plus the rare rows of another shape.
 */
export class RowChecker {
  readonly #version: number
  readonly #findings: Finding[]
  readonly #keyFindings: Finding[] = []
  readonly #byCollection = new Map<CollectionName, CollectionRow[]>()
  readonly #items: ItemFacts[] = []
  /** Every small-collection row decoded, when the caller wants them (see {@link DecodedCatalog}). */
  readonly #rows: Map<CollectionName, CollectionRow[]> | undefined
  /** One copy of each id text the item facts repeat (owners, grantees, schemas). */
  readonly #texts = new Map<string, string>()
  readonly #largeIds = new Map<CollectionName, LargeIds>()
  /** Rows of no run prefix (not canonical), by kind and canonical key. */
  readonly #stray = new Map<string, CollectionRow[]>()
  readonly #epochs: { row: RowCount; epoch: bigint }[] = []
  #runPrefix: string | undefined
  #run: CollectionRow[] = []
  rows = 0

  constructor(stated: { version: number; findings: readonly Finding[] }, opts: { keepRows?: boolean } = {}) {
    this.#version = stated.version
    this.#findings = [...stated.findings]
    this.#rows = opts.keepRows === true ? new Map() : undefined
  }

  add(r: RowCount): void {
    this.rows++
    const findings = this.#findings
    if (r.diff !== 1n) {
      findings.push(finding('multiplicity', 'error', `row has multiplicity ${r.diff} after consolidation (only 1 is valid)`, [r.data]))
    }
    const parsed = tryParse(r.data)
    const canonical = parsed !== undefined && canonicalJson(parsed) === r.data
    if (parsed !== undefined && !canonical) {
      findings.push(
        finding(
          'canonical-encoding',
          'error',
          'row is not stored in canonical JSON (sorted keys, no whitespace): a retraction written by this tool would not cancel it',
          [r.data],
        ),
      )
    }
    const res = decodeRow(r.data, this.#version)
    if (!res.ok) {
      findings.push(finding('decode', 'error', `row does not decode as a catalog v${this.#version} row: ${res.reason}`, [r.data]))
      return
    }
    const row = res.row
    const unknown = unknownFieldNotes(row)
    if (unknown.length > 0) {
      // Materialize would read it by dropping the fields; the boundary rule refuses such rows.
      findings.push(
        finding(
          'decode',
          'error',
          `${row.kind} row has fields catalog v${this.#version} does not have (Materialize would drop them): ${unknown.join('; ')}`,
          [r.data],
        ),
      )
    } else if (!row.exact) {
      findings.push(finding('decode', 'warning', `${row.kind} row decodes as v${this.#version} only by ${row.notes.join('; ')}`, [r.data]))
    }
    if (row.kind === 'Epoch') {
      if (r.diff > 0n) this.#epochs.push({ row: r, epoch: row.epoch })
      return
    }
    if (r.diff <= 0n) return
    this.#keep(row)
    const prefix = canonical ? runPrefix(r.data) : undefined
    if (prefix === undefined) {
      const keyText = `${row.kind} ${canonicalJson(row.key)}`
      const same = this.#stray.get(keyText)
      if (same === undefined) this.#stray.set(keyText, [row])
      else same.push(row)
      return
    }
    if (prefix !== this.#runPrefix) {
      this.#endRun()
      this.#runPrefix = prefix
    }
    this.#run.push(row)
  }

  #keep(row: CollectionRow): void {
    if (isLargeCollection(row.collection)) {
      let ids = this.#largeIds.get(row.collection)
      if (ids === undefined) {
        ids = { ids: [], max: undefined, maxId: undefined }
        this.#largeIds.set(row.collection, ids)
      }
      const id = largeRowId(row)
      if (id === undefined) return
      ids.ids.push(id)
      if (ids.maxId === undefined || id > ids.maxId) {
        ids.maxId = id
        ids.max = row
      }
      return
    }
    if (this.#rows !== undefined) push(this.#rows, row)
    if (row.collection === 'item') {
      this.#items.push(itemFacts(row, (text) => this.#intern(text)))
      return
    }
    push(this.#byCollection, row)
  }

  #intern(text: string): string {
    const had = this.#texts.get(text)
    if (had !== undefined) return had
    const flat = flatString(text)
    this.#texts.set(flat, flat)
    return flat
  }

  #endRun(): void {
    const run = this.#run
    this.#run = []
    if (run.length === 0) return
    // A stray row of the same key joins its run (the key has more values than the run shows).
    const first = run[0] as CollectionRow
    const keyText = `${first.kind} ${canonicalJson(first.key)}`
    const stray = this.#stray.get(keyText)
    if (stray !== undefined) {
      stray.unshift(...run)
      return
    }
    if (run.length > 1) this.#keyFindings.push(keyFinding(keyText, run))
  }

  /** The findings of every row added, the index for the semantic checks, and the rows if kept. */
  finish(): { findings: Finding[]; index: CatalogIndex; decoded: DecodedCatalog | undefined } {
    this.#endRun()
    const findings = this.#findings
    for (const [keyText, same] of this.#stray) if (same.length > 1) this.#keyFindings.push(keyFinding(keyText, same))
    findings.push(...this.#keyFindings)
    const epochs = this.#epochs
    if (epochs.length === 0) {
      findings.push(finding('epoch', 'error', 'no Epoch row: the catalog was never opened for writing, or its epoch was lost'))
    } else if (epochs.length > 1) {
      findings.push(
        finding(
          'epoch',
          'error',
          `${epochs.length} current Epoch rows (${epochs.map((e) => e.epoch).join(', ')}); exactly one expected`,
          epochs.map((e) => e.row.data),
        ),
      )
    } else if ((epochs[0] as { epoch: bigint }).epoch <= 0n) {
      findings.push(
        finding(
          'epoch',
          'error',
          `epoch ${(epochs[0] as { epoch: bigint }).epoch} is not positive (epochs are non-zero and only grow from 1)`,
          [(epochs[0] as { row: RowCount }).row.data],
        ),
      )
    }
    const index = { version: this.#version, byCollection: this.#byCollection, items: this.#items, largeIds: this.#largeIds }
    const decoded = this.#rows === undefined ? undefined : { version: this.#version, byCollection: this.#rows, index }
    return { findings, index, decoded }
  }
}

function push(m: Map<CollectionName, CollectionRow[]>, row: CollectionRow): void {
  const list = m.get(row.collection)
  if (list === undefined) m.set(row.collection, [row])
  else list.push(row)
}

function keyFinding(keyText: string, same: readonly CollectionRow[]): Finding {
  const [kind] = keyText.split(' ', 1)
  return finding(
    'multiplicity',
    'error',
    `${kind} key ${keyText.slice((kind as string).length + 1)} has ${same.length} current values (one expected)`,
    same.map((r) => r.raw),
  )
}

/** Runs the row-level checks on rows in any order; returns the findings, the index and every decoded row. */
export function checkRows(rows: readonly RowCount[]): { findings: Finding[]; index: CatalogIndex; decoded: DecodedCatalog } {
  const checker = new RowChecker(statedVersion(rows), { keepRows: true })
  for (const r of [...rows].sort((a, b) => compareCodePoints(a.data, b.data))) checker.add(r)
  const { findings, index, decoded } = checker.finish()
  return { findings, index, decoded: decoded as DecodedCatalog }
}
