/**
 * `import` and `copy`: what was written (organization, updates, frontiers) and, for `copy`, the
 * verification diff of the copy against its source.
 */
import type { ChalkInstance } from 'chalk'
import type { JsonObject } from '../json/lossless-json.js'
import { diffToJson, type CatalogDiff } from '../catalog/diff/index.js'
import type { ImportResult } from '../catalog/fixture/index.js'
import { diffRecords } from './catalog-diff.js'
import { renderDiffText } from './diff-text.js'
import { jsonDocument, type JsonFormat } from './json-text.js'

/** The import's facts; `store` (where it went) only for `import` (`copy` says `to`). */
function importJson(r: ImportResult, store?: string): JsonObject {
  return {
    organization_id: r.organizationId,
    shard_id: r.shardId,
    ...(store === undefined ? {} : { store }),
    updates: BigInt(r.updates),
    upper: r.upper,
    since: r.since,
    catalog_version: r.header.catalogVersion,
    consolidated: r.header.consolidated,
  }
}

function summary(r: ImportResult): string {
  const version = r.header.catalogVersion === null ? 'no catalog version' : `catalog version ${r.header.catalogVersion}`
  return `${r.updates} update${r.updates === 1 ? '' : 's'} into the catalog of organization ${r.organizationId} (${version}, upper ${r.upper})`
}

export function renderImport(r: ImportResult, store: string, format: 'text' | JsonFormat): string {
  if (format !== 'text') return jsonDocument(importJson(r, store), format)
  return `imported ${summary(r)}\n`
}

export interface CopyOutcome {
  readonly from: string
  readonly to: string
  readonly imported: ImportResult
  /** The copy (after) against its source (before), epochs included. */
  readonly check: CatalogDiff
}

export function renderCopy(o: CopyOutcome, format: 'text' | JsonFormat, color: ChalkInstance): string {
  if (format !== 'text') {
    const doc = { from: o.from, to: o.to, ...importJson(o.imported), verified: o.check.equal, diff: diffToJson(o.check) }
    return format === 'ndjson' ? diffRecords('copy', doc, 'diff') : jsonDocument(doc, format)
  }
  const head = `copied ${summary(o.imported)}\nfrom ${o.from}\nto ${o.to}\n`
  if (o.check.equal) return `${head}verified: the copy equals the source\n`
  return (
    `${head}${color.red('verification failed: the copy differs from the source')}\n` +
    renderDiffText(o.check, { color: color.level > 0, labels: [o.from, o.to] })
  )
}
