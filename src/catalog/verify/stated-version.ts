/**
 * The catalog version a catalog's rows state (`user_version`), which chooses the schemas every
 * other row is decoded with, and the `user-version` findings.
 */

import { canonicalJson, isJsonObject, parseJson, type JsonValue } from '../../json/lossless-json.js'
import { USER_VERSION_KEY } from '../constants.js'
import { CATALOG_VERSION, isSupportedCatalogVersion, MIN_CATALOG_VERSION } from '../kinds/versions.js'
import { finding, type Finding } from './findings.js'
import type { RowCount } from './row-checks.js'

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
