/**
 * The encoding of the state log's `detail` column, shared by every backend.
 */

/** JSON for the state log: bigints as decimal strings, so nothing is rounded. */
export function logJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
}
