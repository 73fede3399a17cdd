/**
 * Validation of the lookup filter reads accept (`where: {a, b?}`).
 */
import { InvalidUsageError } from '../errors.js'
import type { LookupFilter } from './shard-store.js'

/** Throws `InvalidUsageError('InvalidValue')` unless `where` is absent or `{a: string, b?: string}`. */
export function assertLookupFilter(where: unknown): asserts where is LookupFilter | undefined {
  if (where === undefined) return
  const w = where as { a?: unknown; b?: unknown } | null
  if (typeof w !== 'object' || w === null || typeof w.a !== 'string' || (w.b !== undefined && typeof w.b !== 'string')) {
    throw new InvalidUsageError('InvalidValue', 'a lookup filter must be {a: string, b?: string}')
  }
}
