/**
 * Row-level checks over a consolidated catalog: every row is one Materialize can read with the
 * schemas of the catalog's own version, by the boundary rule of docs/materialize-parity.md (no
 * required field null or missing, no duplicate key, no unknown field); it is stored canonically,
 * has multiplicity 1, each key has one value; exactly one epoch and one `user_version`.
 */

import { decodeParsedRow, decodeRow, unknownFieldNotes, type CollectionRow } from '../codec/row-codec.js'
import { canonicalJson, compareCodePoints, isJsonObject, parseJson, type JsonValue } from '../../json/lossless-json.js'
import { runPrefix } from '../codec/row-prefix.js'
import { isScannedCanonicalRow } from '../codec/row-lookup.js'
import { isLargeCollection, type CollectionName } from '../kinds/collections.js'
import { finding, type Finding } from './findings.js'
import { itemFacts } from './item-facts.js'
import type { ItemTable } from './item-table.js'
import { isSpilled, ScratchIndex, type LargeIds } from './scratch-index.js'
import { statedVersion } from './stated-version.js'

/** A consolidated row: its stored text and multiplicity. */
export interface RowCount {
  readonly data: string
  readonly diff: bigint
}

/**
 * What the semantic checks read: the decoded rows of the small collections in memory; the facts
 * of the items, the ids of the large collections and the rows of the collections that grow with
 * the items in a scratch database on disk (`scratch-index.ts`). Items are most of a large catalog
 * and the large collections the rest, so a streamed `verify` holds neither in memory.
 * {@link close} drops the scratch database.
 */
export interface CatalogIndex {
  /** The version whose schemas decoded the rows. */
  readonly version: number
  /**
   * Decoded rows (multiplicity above 0) of a collection but `item` and the large ones, in data
   * order (decoded again from disk for the collections that grow with the items).
   */
  rows(collection: CollectionName): Iterable<CollectionRow>
  /** What the checks need of each `item` row. */
  readonly items: ItemTable
  /** The ids of a large collection (`audit_log`, `storage_usage`); `undefined` when none was read. */
  largeIds(collection: CollectionName): LargeIds | undefined
  /** Every row that decodes as an epoch, with its multiplicity (for `repair`'s epoch bump). */
  readonly epochRows: readonly RowCount[]
  /** Drops what is on disk; the index cannot be read after. */
  close(): void
}

function tryParse(text: string): JsonValue | undefined {
  try {
    return parseJson(text)
  } catch {
    return undefined
  }
}

/** The id a row of a large collection holds (the event's or the usage record's `id`). */
function largeRowId(row: CollectionRow): bigint | undefined {
  const field = row.collection === 'audit_log' ? row.key.event : row.key.usage
  const v1 = isJsonObject(field ?? null) ? (field as { V1?: JsonValue }).V1 : undefined
  const id = isJsonObject(v1 ?? null) ? (v1 as { id?: JsonValue }).id : undefined
  return typeof id === 'bigint' ? id : undefined
}

/**
 * Whether `text` is stored canonically, given its parse: the scanner of `row-lookup.ts` accepts
 * almost every stored row without building anything; the rest are re-encoded and compared.
 */
function isCanonical(text: string, parsed: JsonValue): boolean {
  return isScannedCanonicalRow(text) || canonicalJson(parsed) === text
}

/**
 * The row-level checks, fed one consolidated row at a time **in data byte order** (a store's
 * consolidated stream): memory holds the rows of the small collections the semantic checks need,
 * and of the one-value-per-key check only the current run of one (key, kind) (see
 * `codec/row-prefix.ts`), plus the rare rows of another shape; the rest goes to the scratch
 * database (`scratch-index.ts`) as the rows go by.
 */
export class RowChecker {
  readonly #version: number
  readonly #findings: Finding[]
  readonly #keyFindings: Finding[] = []
  readonly #byCollection = new Map<CollectionName, CollectionRow[]>()
  /** Whether item facts keep their stored text (when the caller holds every row anyway). */
  readonly #keepTexts: boolean
  readonly #scratch = new ScratchIndex()
  /** Rows of no run prefix (not canonical), by kind and canonical key. */
  readonly #stray = new Map<string, CollectionRow[]>()
  readonly #epochs: { row: RowCount; epoch: bigint }[] = []
  readonly #epochRows: RowCount[] = []
  #runPrefix: string | undefined
  #run: CollectionRow[] = []
  rows = 0

  constructor(stated: { version: number; findings: readonly Finding[] }, opts: { keepTexts?: boolean } = {}) {
    this.#version = stated.version
    this.#findings = [...stated.findings]
    this.#keepTexts = opts.keepTexts === true
  }

  add(r: RowCount): void {
    this.rows++
    const findings = this.#findings
    if (r.diff !== 1n) {
      findings.push(finding('multiplicity', 'error', `row has multiplicity ${r.diff} after consolidation (only 1 is valid)`, [r.data]))
    }
    // One strict parse serves the canonical check and the decode; text a strict parse refuses
    // (a duplicate key, a lone surrogate) is parsed leniently for the canonical check, as before.
    let strict: JsonValue | undefined
    try {
      strict = parseJson(r.data, { strict: true })
    } catch {
      strict = undefined
    }
    const parsed = strict ?? tryParse(r.data)
    const canonical = parsed !== undefined && isCanonical(r.data, parsed)
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
    const res = strict === undefined ? decodeRow(r.data, this.#version) : decodeParsedRow(strict, r.data, this.#version)
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
      this.#epochRows.push(r)
      if (r.diff > 0n) this.#epochs.push({ row: r, epoch: row.epoch })
      return
    }
    if (r.diff <= 0n) return
    const prefix = canonical ? runPrefix(r.data) : undefined
    if (prefix === undefined) {
      const keyText = `${row.kind} ${canonicalJson(row.key)}`
      const same = this.#stray.get(keyText)
      if (same === undefined) this.#stray.set(keyText, [row])
      else same.push(row)
    } else {
      if (prefix !== this.#runPrefix) {
        this.#endRun()
        this.#runPrefix = prefix
      }
      this.#run.push(row)
    }
    this.#keep(row)
  }

  #keep(row: CollectionRow): void {
    if (isLargeCollection(row.collection)) {
      const id = largeRowId(row)
      if (id !== undefined) this.#scratch.addLargeId(row.collection, id, row.raw)
    } else if (row.collection === 'item') this.#scratch.items.add(itemFacts(row, this.#keepTexts))
    else if (isSpilled(row.collection)) this.#scratch.addRow(row)
    else push(this.#byCollection, row)
  }

  #endRun(): void {
    const run = this.#run
    this.#run = []
    // A run of one row is fine unless a stray row of the same key joins it.
    if (run.length === 0 || (run.length === 1 && this.#stray.size === 0)) return
    const first = run[0] as CollectionRow
    const keyText = `${first.kind} ${canonicalJson(first.key)}`
    // A stray row of the same key joins its run (the key has more values than the run shows).
    const stray = this.#stray.get(keyText)
    if (stray !== undefined) {
      stray.unshift(...run)
      return
    }
    if (run.length > 1) this.#keyFindings.push(keyFinding(keyText, run))
  }

  /** Drops the scratch database of a check given up before {@link finish}. */
  discard(): void {
    this.#scratch.close()
  }

  /** The findings of every row added, and the index for the semantic checks (to be closed). */
  finish(): { findings: Finding[]; index: CatalogIndex } {
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
    const scratch = this.#scratch
    scratch.finish()
    const version = this.#version
    const byCollection = this.#byCollection
    const index: CatalogIndex = {
      version,
      rows: (collection) => (isSpilled(collection) ? scratch.rows(collection, version) : (byCollection.get(collection) ?? [])),
      items: scratch.items,
      largeIds: (collection) => scratch.largeIds(collection),
      epochRows: this.#epochRows,
      close: () => scratch.close(),
    }
    return { findings, index }
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

/** Runs the row-level checks on rows in any order, keeping item texts; returns the findings and the index. */
export function checkRows(rows: readonly RowCount[]): { findings: Finding[]; index: CatalogIndex } {
  const checker = new RowChecker(statedVersion(rows), { keepTexts: true })
  for (const r of [...rows].sort((a, b) => compareCodePoints(a.data, b.data))) checker.add(r)
  return checker.finish()
}
