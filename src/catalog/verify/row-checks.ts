/**
 * Row-level checks over a consolidated catalog: every row decodes (with the schemas of the
 * catalog's own version), is stored canonically, has multiplicity 1, each key has one value;
 * exactly one epoch and one `user_version`.
 */

import { decodeRow, type CollectionRow } from '../codec/row-codec.js'
import { canonicalJson, isJsonObject, parseJson, type JsonValue } from '../../json/lossless-json.js'
import { USER_VERSION_KEY } from '../constants.js'
import type { CollectionName } from '../kinds/collections.js'
import { CATALOG_VERSION, isSupportedCatalogVersion, MIN_CATALOG_VERSION } from '../kinds/versions.js'
import { finding, type Finding } from './findings.js'

/** A consolidated row: its stored text and multiplicity. */
export interface RowCount {
  readonly data: string
  readonly diff: bigint
}

/** The rows that decoded, by collection, for the semantic checks. */
export interface DecodedCatalog {
  /** The version whose schemas decoded the rows. */
  readonly version: number
  readonly byCollection: ReadonlyMap<CollectionName, readonly CollectionRow[]>
}

function tryParse(text: string): JsonValue | undefined {
  try {
    return parseJson(text)
  } catch {
    return undefined
  }
}

/** The catalog version stated by the rows, or `undefined` (reported by {@link checkRows}). */
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

/** Runs the row-level checks; returns the findings and the decoded rows. */
export function checkRows(rows: readonly RowCount[]): { findings: Finding[]; decoded: DecodedCatalog } {
  const findings: Finding[] = []

  // user_version: exactly one, supported. It also chooses the schemas the rows decode with.
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

  const byCollection = new Map<CollectionName, CollectionRow[]>()
  const byKey = new Map<string, CollectionRow[]>()
  const epochs: { row: RowCount; epoch: bigint }[] = []
  for (const r of rows) {
    if (r.diff !== 1n) {
      findings.push(finding('multiplicity', 'error', `row has multiplicity ${r.diff} after consolidation (only 1 is valid)`, [r.data]))
    }
    const parsed = tryParse(r.data)
    if (parsed !== undefined && canonicalJson(parsed) !== r.data) {
      findings.push(
        finding(
          'canonical-encoding',
          'error',
          'row is not stored in canonical JSON (sorted keys, no whitespace): a retraction written by this tool would not cancel it',
          [r.data],
        ),
      )
    }
    const res = decodeRow(r.data, version)
    if (!res.ok) {
      findings.push(finding('decode', 'error', `row does not decode as a catalog v${version} row: ${res.reason}`, [r.data]))
      continue
    }
    const row = res.row
    if (!row.exact) {
      findings.push(finding('decode', 'warning', `${row.kind} row decodes as v${version} only by ${row.notes.join('; ')}`, [r.data]))
    }
    if (row.kind === 'Epoch') {
      if (r.diff > 0n) epochs.push({ row: r, epoch: row.epoch })
      continue
    }
    if (r.diff <= 0n) continue
    let list = byCollection.get(row.collection)
    if (list === undefined) {
      list = []
      byCollection.set(row.collection, list)
    }
    list.push(row)
    const keyText = `${row.kind} ${canonicalJson(row.key)}`
    let same = byKey.get(keyText)
    if (same === undefined) {
      same = []
      byKey.set(keyText, same)
    }
    same.push(row)
  }
  for (const [keyText, same] of byKey) {
    if (same.length > 1) {
      const [kind] = keyText.split(' ', 1)
      findings.push(
        finding(
          'multiplicity',
          'error',
          `${kind} key ${keyText.slice((kind as string).length + 1)} has ${same.length} current values (one expected)`,
          same.map((r) => r.raw),
        ),
      )
    }
  }

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

  return { findings, decoded: { version, byCollection } }
}
