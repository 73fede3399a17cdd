/**
 * The lookup filter reads accept (`where: {a, b?}`): its validation and its shape, which decides
 * the SQL and the index a backend reads with.
 */
import { InvalidUsageError } from '../errors.js'
import type { LookupFilter, StreamOptions } from './shard-store.js'

/** Which lookup columns a read filters on. */
export type FilterShape = 'all' | 'a' | 'ab'

/** The shape of a lookup filter. */
export function filterShape(where: LookupFilter | undefined): FilterShape {
  return where === undefined ? 'all' : where.b === undefined ? 'a' : 'ab'
}

/** Throws `InvalidUsageError('InvalidValue')` unless `where` is absent or `{a: string, b?: string}`. */
export function assertLookupFilter(where: unknown): asserts where is LookupFilter | undefined {
  if (where === undefined) return
  const w = where as { a?: unknown; b?: unknown } | null
  if (typeof w !== 'object' || w === null || typeof w.a !== 'string' || (w.b !== undefined && typeof w.b !== 'string')) {
    throw new InvalidUsageError('InvalidValue', 'a lookup filter must be {a: string, b?: string}')
  }
}

/**
 * Throws `InvalidUsageError('InvalidValue')` unless a stream's `exceptA` is absent or an array of
 * strings, and not combined with `where`.
 */
export function assertExceptA(options: StreamOptions): void {
  const except: unknown = options.exceptA
  if (except === undefined) return
  if (!Array.isArray(except) || !except.every((a) => typeof a === 'string')) {
    throw new InvalidUsageError('InvalidValue', 'exceptA must be an array of strings')
  }
  if (options.where !== undefined) throw new InvalidUsageError('InvalidValue', 'exceptA cannot be combined with a lookup filter')
}

/** Throws `InvalidUsageError('InvalidValue')` unless a stream's `order` is absent, `'time'`, or `'lookup'` with a lookup filter. */
export function assertStreamOrder(options: StreamOptions): void {
  const order: unknown = options.order
  if (order === undefined || order === 'time') return
  if (order !== 'lookup') throw new InvalidUsageError('InvalidValue', "a stream's order must be 'time' or 'lookup'")
  if (options.where === undefined) throw new InvalidUsageError('InvalidValue', "order 'lookup' needs a lookup filter")
}
