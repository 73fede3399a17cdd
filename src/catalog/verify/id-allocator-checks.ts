/** `id-allocators`: every id allocator is above every id it allocated. */

import type { CollectionRow } from '../codec/row-codec.js'
import type { JsonValue } from '../../json/lossless-json.js'
import { ID_ALLOC } from '../constants.js'
import type { CollectionName } from '../kinds/collections.js'
import { finding, type Finding } from './findings.js'
import { idParts, idText, obj, rowsOf, type Rows } from './ids.js'
import type { ItemRows } from './item-rows.js'
import type { CatalogIndex } from './row-checks.js'

/** An id in use: the id, what holds it (`item u5`), and that row's stored text when known. */
export interface IdUse {
  readonly id: bigint
  readonly label: string
  readonly raw: string | undefined
}

/** Ids of one variant (`User`/`System`/any) in a key or value field. */
function collectIds(
  rows: Rows,
  pick: (r: CollectionRow) => JsonValue | undefined,
  variant: 'User' | 'System' | 'any',
  label: string,
): IdUse[] {
  const out: IdUse[] = []
  for (const r of rows) {
    const p = idParts(pick(r))
    if (p === undefined || p[1] === undefined) continue
    if (variant !== 'any' && p[0] !== variant) continue
    out.push({ id: p[1], label: `${label} ${idText(pick(r))}`, raw: r.raw })
  }
  return out
}

function plainIds(rows: Rows, pick: (r: CollectionRow) => JsonValue | undefined, label: string): IdUse[] {
  const out: IdUse[] = []
  for (const r of rows) {
    const n = pick(r)
    if (typeof n === 'bigint') out.push({ id: n, label: `${label} ${n}`, raw: r.raw })
  }
  return out
}

/** The ids an allocator is responsible for: how many, the highest, and those at or above a `next_id`. */
interface IdList {
  readonly count: number
  readonly max: bigint | undefined
  above(next: bigint): { count: number; worst: IdUse } | undefined
}

/** The ids of the rows of a small collection, held as a list. */
function listOf(uses: readonly IdUse[]): IdList {
  let max: bigint | undefined
  for (const u of uses) if (max === undefined || u.id > max) max = u.id
  return {
    count: uses.length,
    max,
    above(next) {
      let count = 0
      let worst: IdUse | undefined
      for (const u of uses) {
        if (u.id < next) continue
        count++
        if (worst === undefined || u.id > worst.id) worst = u
      }
      return worst === undefined ? undefined : { count, worst }
    },
  }
}

/** One id allocator: its row (absent: missing), and the ids in use that it allocated. */
export interface AllocatorStatus {
  readonly name: string
  readonly row: CollectionRow | undefined
  /** How many ids in use it allocated. */
  readonly inUse: number
  /** The highest of them. */
  readonly max: bigint | undefined
  /** The ids in use at or above `next`: how many, and the highest (the first found, if held twice). */
  above(next: bigint): { count: number; worst: IdUse } | undefined
}

/** Every id allocator the catalog needs, with its row and the ids in use it is responsible for. */
export function allocatorStatus(c: CatalogIndex, rows: ItemRows): AllocatorStatus[] {
  const allocators = new Map<string, CollectionRow>()
  for (const r of rowsOf(c, 'id_alloc')) if (typeof r.key.name === 'string') allocators.set(r.key.name, r)
  const key = (r: CollectionRow, f: string): JsonValue | undefined => r.key[f]
  const val = (r: CollectionRow, f: string): JsonValue | undefined => obj(r.value)?.[f]
  // The ids of items and of the large collections are counted on disk (`item-table.ts`, `scratch-index.ts`).
  const items = (): IdList => {
    const { count, max } = c.items.userIds()
    return {
      count,
      max,
      above(next) {
        const found = c.items.userIdsAbove(next)
        if (found === undefined) return undefined
        const { worst } = found
        return { count: found.count, worst: { id: worst.userId as bigint, label: `item u${worst.userId}`, raw: rows.row(worst).raw } }
      },
    }
  }
  const large = (collection: CollectionName, label: string): IdList => {
    const ids = c.largeIds(collection)
    if (ids === undefined) return listOf([])
    return {
      count: ids.count,
      max: ids.max,
      above(next) {
        const found = ids.above(next)
        if (found === undefined) return undefined
        // Only the row of the largest id is kept: the one a finding names.
        const id = found.worst
        return { count: found.count, worst: { id, label: `${label} ${id}`, raw: id === ids.max ? ids.maxText : undefined } }
      },
    }
  }
  const uses: readonly (readonly [string, () => IdList])[] = [
    [ID_ALLOC.user, items],
    [
      ID_ALLOC.system,
      () =>
        listOf([
          ...plainIds(rowsOf(c, 'system_gid_mapping'), (r) => val(r, 'id'), 'builtin object id'),
          ...plainIds(rowsOf(c, 'compute_introspection_source_index'), (r) => val(r, 'index_id'), 'introspection source index id'),
        ]),
    ],
    [ID_ALLOC.database, () => listOf(collectIds(rowsOf(c, 'database'), (r) => key(r, 'id'), 'User', 'database'))],
    [ID_ALLOC.schema, () => listOf(collectIds(rowsOf(c, 'schema'), (r) => key(r, 'id'), 'any', 'schema'))],
    [ID_ALLOC.userRole, () => listOf(collectIds(rowsOf(c, 'role'), (r) => key(r, 'id'), 'User', 'role'))],
    [ID_ALLOC.userCluster, () => listOf(collectIds(rowsOf(c, 'compute_instance'), (r) => key(r, 'id'), 'User', 'cluster'))],
    [ID_ALLOC.systemCluster, () => listOf(collectIds(rowsOf(c, 'compute_instance'), (r) => key(r, 'id'), 'System', 'cluster'))],
    [ID_ALLOC.userReplica, () => listOf(collectIds(rowsOf(c, 'compute_replicas'), (r) => key(r, 'id'), 'User', 'cluster replica'))],
    [ID_ALLOC.systemReplica, () => listOf(collectIds(rowsOf(c, 'compute_replicas'), (r) => key(r, 'id'), 'System', 'cluster replica'))],
    [ID_ALLOC.auditLog, () => large('audit_log', 'audit event')],
    [ID_ALLOC.storageUsage, () => large('storage_usage', 'storage usage event')],
  ]
  return uses.map(([name, collect]) => {
    const ids = collect()
    return { name, row: allocators.get(name), inUse: ids.count, max: ids.max, above: (next) => ids.above(next) }
  })
}

/** An allocator's `next_id`, when its row holds an integer one. */
export function allocatorNextId(row: CollectionRow): bigint | undefined {
  const next = obj(row.value)?.next_id
  return typeof next === 'bigint' ? next : undefined
}

/** Every id allocator is above every id it allocated. */
export function checkIdAllocators(c: CatalogIndex, rows: ItemRows): Finding[] {
  const out: Finding[] = []
  for (const s of allocatorStatus(c, rows)) {
    const { name, row: alloc } = s
    if (alloc === undefined) {
      out.push(
        finding(
          'id-allocators',
          'error',
          `id allocator ${JSON.stringify(name)} is missing${s.inUse > 0 ? ` (${s.inUse} ids in use)` : ''}`,
        ),
      )
      continue
    }
    const next = allocatorNextId(alloc)
    if (next === undefined) continue
    const above = s.above(next)
    if (above !== undefined) {
      const { count, worst } = above
      out.push(
        finding(
          'id-allocators',
          'error',
          `id allocator ${JSON.stringify(name)} has next_id ${next}, but ${worst.label} is in use${count > 1 ? ` (and ${count - 1} more at or above ${next})` : ''}: the next allocation would reuse an id`,
          [alloc.raw, worst.raw as string],
        ),
      )
    }
  }
  return out
}
