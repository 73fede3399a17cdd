/**
 * `--as-of TS`: read the catalog as it was at a timestamp of its shard (time travel), on every
 * command that reads a catalog's contents (`dump`, `get`, `export`, `diff`, …).
 */
import type { Options } from 'yargs'
import { UsageError } from '../errors.js'

const U64_MAX = (1n << 64n) - 1n

/** The `--as-of` option of a reading command. */
export const AS_OF_OPTION = {
  'as-of': {
    type: 'string',
    describe: "Read the catalog as it was at this timestamp (any time from the shard's since up to its upper − 1)",
    requiresArg: true,
  },
} as const satisfies Record<string, Options>

/** Parses a timestamp given as `--NAME` (a u64 in decimal); `undefined` when not given. */
export function parseTimestampOption(raw: string | undefined, name = 'as-of'): bigint | undefined {
  if (raw === undefined) return undefined
  const text = String(raw).trim()
  if (!/^\d+$/.test(text) || BigInt(text) > U64_MAX) {
    throw new UsageError(
      `invalid --${name} "${String(raw)}": expected a timestamp of the catalog shard (an integer from 0 to ${U64_MAX})`,
      {
        hint: "`catalog-debug inspect` shows the shard's since and upper; `history` and `log` show when keys were written",
      },
    )
  }
  return BigInt(text)
}
