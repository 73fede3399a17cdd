/**
 * Comparing two catalogs (`catalog-debug diff`). Sources may be stores, fixtures or contents
 * already in memory; see `diff-catalogs.ts` for the report and JSON Patch forms.
 */

import type { ShardStore } from '../../store/shard-store.js'
import { contentsFromStore, type CatalogContents } from './contents.js'
import { diffCatalogs, type CatalogDiff, type DiffOptions } from './diff-catalogs.js'
import { openCatalogShard } from '../fixture/export.js'
import { diffStreams } from './stream-diff.js'

/** One side of a diff: contents in memory, or a catalog in a store (a fixture loaded in memory is a store too). */
export type CatalogSource =
  | CatalogContents
  | {
      readonly store: ShardStore
      readonly organizationId: string /** Read as of this time (default: upper − 1). */
      readonly asOf?: bigint
    }

function isContents(s: CatalogSource): s is CatalogContents {
  return 'collections' in s
}

/** The consolidated contents of a source (reads a store at its upper − 1; never writes). */
export async function loadContents(source: CatalogSource): Promise<CatalogContents> {
  return isContents(source) ? source : contentsFromStore(source.store, source.organizationId, source.asOf)
}

/**
 * Compares catalog `a` (before) with `b` (after). Two stored catalogs are merged as two ordered
 * streams (`stream-diff.ts`), in memory proportional to their differences.
 */
export async function diff(a: CatalogSource, b: CatalogSource, opts: DiffOptions = {}, progress?: DiffProgress): Promise<CatalogDiff> {
  if (isContents(a) || isContents(b)) return diffCatalogs(await loadContents(a), await loadContents(b), opts)
  const side = (s: typeof a) => ({ consolidated: true, rawRows: true, ...(s.asOf === undefined ? {} : { asOf: s.asOf }) })
  const sa = await openCatalogShard(a.store, a.organizationId, side(a))
  const sb = await openCatalogShard(b.store, b.organizationId, side(b))
  return diffStreams(sa.batches, sb.batches, opts, progress)
}

/** Progress of a diff: consolidated rows read from both sides so far. */
export type DiffProgress = (done: number) => void

export { contentsFromFixture, contentsFromStore, contentsFromUpdates, INVALID_ROWS } from './contents.js'
export type { CatalogContents, RowCount } from './contents.js'
export { diffCatalogs, diffToJson, diffToJsonPatch, jsonPatchToJson, patchDocument } from './diff-catalogs.js'
export type { CatalogDiff, DiffOptions } from './diff-catalogs.js'
export { applyPatch, type JsonPatchOp } from './value-delta.js'
