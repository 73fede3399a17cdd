/**
 * Memory sizes given on the command line (`--sort-memory 64M`): a whole number of bytes, or of
 * KiB, MiB or GiB with the suffix `K`, `M` or `G` (as `sort -S` takes them; `KiB`, `MiB`, `GiB` and
 * a trailing `B` are accepted too).
 */
import { UsageError } from '../errors.js'

const UNITS: Record<string, number> = { '': 1, K: 1 << 10, M: 1 << 20, G: 1 << 30 }

/** Parses `--NAME SIZE` into bytes (at least `min`); `undefined` when not given. */
export function parseSizeOption(raw: string | undefined, name: string, min: number): number | undefined {
  if (raw === undefined) return undefined
  const m = /^(\d+)\s*([KMG]?)(?:I?B)?$/i.exec(String(raw).trim())
  const bytes = m === null ? Number.NaN : Number(m[1]) * (UNITS[(m[2] as string).toUpperCase()] as number)
  if (!Number.isSafeInteger(bytes) || bytes < min) {
    throw new UsageError(
      `invalid --${name} "${String(raw)}": expected a size of at least ${min} bytes, such as 64M (K, M and G are KiB, MiB and GiB)`,
    )
  }
  return bytes
}
