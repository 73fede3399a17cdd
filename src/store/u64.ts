/**
 * Exact u64 / i64 handling for the shard store.
 *
 * Persist times are u64 and diffs i64; both stay `bigint` end to end. SQL INTEGER columns are
 * signed 64-bit, so a u64 is stored with an order-preserving bias (flip the top bit, reinterpret
 * as i64): `0` becomes `-2^63`, `2^64-1` becomes `2^63-1`, and `ORDER BY`/range predicates on the
 * stored value agree with u64 order. A frontier's empty antichain is stored as SQL NULL.
 */
import { InvalidUsageError } from '../errors.js'
import type { Frontier } from './shard-store.js'

/** Largest u64 (persist times). */
export const U64_MAX = (1n << 64n) - 1n
/** Smallest i64 (diffs; a new critical handle's opaque). */
export const I64_MIN = -(1n << 63n)
/** Largest i64. */
export const I64_MAX = (1n << 63n) - 1n

const BIAS = 1n << 63n

/** The signed INTEGER a u64 is stored as (order-preserving). The input must already be a valid u64. */
export function encodeU64(t: bigint): bigint {
  return BigInt.asIntN(64, t ^ BIAS)
}

/** Inverse of {@link encodeU64}. */
export function decodeU64(stored: bigint): bigint {
  return BigInt.asUintN(64, stored) ^ BIAS
}

/** A frontier as stored: the biased time, or `null` for the empty antichain. */
export function encodeFrontier(f: Frontier): bigint | null {
  return f === null ? null : encodeU64(f)
}

/** Inverse of {@link encodeFrontier}. */
export function decodeFrontier(stored: bigint | null): Frontier {
  return stored === null ? null : decodeU64(stored)
}

/** Throws `InvalidUsageError('InvalidValue')` unless `value` is a bigint in `0..2^64-1`. */
export function assertU64(value: unknown, what: string): asserts value is bigint {
  if (typeof value !== 'bigint' || value < 0n || value > U64_MAX) {
    throw new InvalidUsageError('InvalidValue', `${what} must be a u64 bigint (0..${U64_MAX}), got ${describe(value)}`)
  }
}

/** Throws `InvalidUsageError('InvalidValue')` unless `value` is a bigint in `-2^63..2^63-1`. */
export function assertI64(value: unknown, what: string): asserts value is bigint {
  if (typeof value !== 'bigint' || value < I64_MIN || value > I64_MAX) {
    throw new InvalidUsageError('InvalidValue', `${what} must be an i64 bigint (${I64_MIN}..${I64_MAX}), got ${describe(value)}`)
  }
}

/** Throws `InvalidUsageError('InvalidValue')` unless `value` is `null` or a u64. */
export function assertFrontier(value: unknown, what: string): asserts value is Frontier {
  if (value !== null) assertU64(value, what)
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}`
  if (typeof value === 'string') return JSON.stringify(value)
  return `${typeof value} ${String(value)}`
}
