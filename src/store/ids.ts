/**
 * Persist's handle id formats: leased reader `r<uuid>`, critical reader `c<uuid>`, writer
 * `w<uuid>`, idempotency token `i<uuid>`. Ids are checked at the store boundary so a mixed-up
 * argument fails loudly instead of creating a stray handle.
 */
import { randomUUID } from 'node:crypto'
import { InvalidUsageError } from '../errors.js'
import { isShardId } from './shard-id.js'

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const ID_RES = {
  r: new RegExp(`^r${UUID}$`),
  c: new RegExp(`^c${UUID}$`),
  w: new RegExp(`^w${UUID}$`),
  i: new RegExp(`^i${UUID}$`),
} as const
const ID_NAMES = { r: 'leased reader id', c: 'critical reader id', w: 'writer id', i: 'idempotency token' } as const

/** The critical since handle the catalog's controller holds (persist's `CONTROLLER_CRITICAL_SINCE`). */
export const CONTROLLER_CRITICAL_SINCE = 'c00000000-1111-2222-3333-444444444444'

/** A fresh leased reader id. */
export function newLeasedReaderId(): string {
  return `r${randomUUID()}`
}

/** A fresh writer id. */
export function newWriterId(): string {
  return `w${randomUUID()}`
}

/** A fresh idempotency token (one per logical write; reused only to retry that write). */
export function newIdempotencyToken(): string {
  return `i${randomUUID()}`
}

/** Throws `InvalidUsageError('InvalidShardId')` unless `id` is `s<uuid>`. */
export function assertShardId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !isShardId(id)) {
    throw new InvalidUsageError('InvalidShardId', `invalid shard id ${JSON.stringify(id)}: expected s<uuid>`)
  }
}

/** Throws `InvalidUsageError('InvalidValue')` unless `id` has the form of the given handle kind. */
export function assertHandleId(kind: keyof typeof ID_RES, id: unknown): asserts id is string {
  if (typeof id !== 'string' || !ID_RES[kind].test(id)) {
    throw new InvalidUsageError('InvalidValue', `invalid ${ID_NAMES[kind]} ${JSON.stringify(id)}: expected ${kind}<uuid>`)
  }
}
