/**
 * The client-side checks of persist's compare-and-append, shared by every backend. They run before
 * the store is touched, so an invalid call writes nothing and consumes no seqno.
 *
 * Order: each update's value ranges and `ts >= expectedUpper` (`UpdateNotBeyondLower`), then
 * `newUpper < expectedUpper` (`InvalidBounds`), then updates on an empty interval
 * (`InvalidEmptyTimeInterval`), then the largest `ts < newUpper` (`UpdateBeyondUpper`, reported for
 * the maximum timestamp as persist does). The bounds checks come before the upper check so that
 * each kind stays reachable: with `newUpper <= expectedUpper` every update would otherwise be
 * reported as beyond the upper.
 */
import { InvalidUsageError } from '../errors.js'
import { formatFrontier, frontierLessThan, frontierEquals, isBeyond, isBefore } from './frontier.js'
import type { Frontier, Update, WriterIdentity } from './shard-store.js'
import { assertFrontier, assertI64, assertU64 } from './u64.js'
import { assertHandleId } from './ids.js'

/**
 * Validates a compare-and-append call. Throws `InvalidUsageError` with kind `InvalidValue`
 * (malformed argument), `UpdateNotBeyondLower`, `InvalidBounds`, `InvalidEmptyTimeInterval` or
 * `UpdateBeyondUpper`, with persist's messages.
 */
export function validateCompareAndAppend(
  updates: readonly Update[],
  expectedUpper: Frontier,
  newUpper: Frontier,
  writer?: WriterIdentity,
): void {
  assertFrontier(expectedUpper, 'expected upper')
  assertFrontier(newUpper, 'new upper')
  if (!Array.isArray(updates)) throw new InvalidUsageError('InvalidValue', 'updates must be an array')
  if (writer !== undefined) {
    assertHandleId('w', writer.writerId)
    assertHandleId('i', writer.idempotencyToken)
  }
  let maxTs: bigint | undefined
  for (const [i, u] of updates.entries()) {
    if (typeof u?.data !== 'string') throw new InvalidUsageError('InvalidValue', `update ${i}: data must be a string`)
    assertU64(u.ts, `update ${i}: ts`)
    assertI64(u.diff, `update ${i}: diff`)
    if (!isBeyond(u.ts, expectedUpper)) {
      throw new InvalidUsageError('UpdateNotBeyondLower', `timestamp ${u.ts} not beyond batch lower ${formatFrontier(expectedUpper)}`, {
        details: { ts: u.ts, lower: expectedUpper },
      })
    }
    if (maxTs === undefined || u.ts > maxTs) maxTs = u.ts
  }
  if (frontierLessThan(newUpper, expectedUpper)) {
    throw new InvalidUsageError('InvalidBounds', `invalid bounds [${formatFrontier(expectedUpper)}, ${formatFrontier(newUpper)})`, {
      details: { lower: expectedUpper, upper: newUpper },
    })
  }
  if (frontierEquals(newUpper, expectedUpper) && updates.length > 0) {
    throw new InvalidUsageError(
      'InvalidEmptyTimeInterval',
      `invalid empty time interval [${formatFrontier(expectedUpper)}, ${formatFrontier(newUpper)}) with ${updates.length} update(s)`,
      { details: { lower: expectedUpper, upper: newUpper } },
    )
  }
  if (maxTs !== undefined && !isBefore(maxTs, newUpper)) {
    throw new InvalidUsageError(
      'UpdateBeyondUpper',
      `maximum timestamp ${maxTs} is beyond the expected batch upper: ${formatFrontier(newUpper)}`,
      {
        details: { max_ts: maxTs, expected_upper: newUpper },
      },
    )
  }
}
