/**
 * Persist's data-version gate and the version stamp of shard state.
 *
 * Every committed state change stamps `applier_version = max(stored, this build)`, and before any
 * write the gate refuses state stamped more than one minor version ahead of this build:
 * data is acceptable iff `data <= code.major . (code.minor + 1) . u64::MAX` in semver order
 * (persist `cfg::check_data_version`). One minor of slack lets two versions run side by side
 * during a rolling upgrade; stamping the max (rather than the writer's own version) stops a chain of
 * single-step rollbacks from walking the data back arbitrarily far.
 *
 * Versions are compared with bigint parts: the upper bound's patch is `u64::MAX`, which neither a
 * JS number nor the `semver` package can hold.
 */
import { IncompatibleVersionError, UsageError } from '../errors.js'
import { U64_MAX } from './u64.js'

interface ParsedVersion {
  readonly major: bigint
  readonly minor: bigint
  readonly patch: bigint
  /** Pre-release identifiers: numeric ones as bigint. Empty for a release. */
  readonly pre: readonly (bigint | string)[]
}

const NUM = '0|[1-9]\\d*'
const PRE_ID = '0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*'
const VERSION_RE = new RegExp(
  `^(${NUM})\\.(${NUM})\\.(${NUM})(?:-((?:${PRE_ID})(?:\\.(?:${PRE_ID}))*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$`,
)

/** Parses a semver 2.0 version exactly. Throws `UsageError` (code `invalid-version`). */
export function parseVersion(text: string): ParsedVersion {
  const m = VERSION_RE.exec(text)
  if (m === null)
    throw new UsageError(`invalid version ${JSON.stringify(text)}: expected semver MAJOR.MINOR.PATCH`, { code: 'invalid-version' })
  const [major, minor, patch] = [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)]
  if (major > U64_MAX || minor > U64_MAX || patch > U64_MAX) {
    throw new UsageError(`invalid version ${JSON.stringify(text)}: a component exceeds u64`, { code: 'invalid-version' })
  }
  const pre = m[4] === undefined ? [] : m[4].split('.').map((id) => (/^\d+$/.test(id) ? BigInt(id) : id))
  return { major, minor, patch, pre }
}

function cmp<T extends bigint | string | number>(a: T, b: T): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0
}

function comparePre(a: readonly (bigint | string)[], b: readonly (bigint | string)[]): -1 | 0 | 1 {
  // A release sorts after all of its pre-releases.
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!
    const y = b[i]!
    if (typeof x === 'bigint' && typeof y === 'bigint') {
      const c = cmp(x, y)
      if (c !== 0) return c
    } else if (typeof x === 'string' && typeof y === 'string') {
      const c = cmp(x, y)
      if (c !== 0) return c
    } else {
      // Numeric identifiers have lower precedence than alphanumeric ones.
      return typeof x === 'bigint' ? -1 : 1
    }
  }
  return cmp(a.length, b.length)
}

function compareParsed(a: ParsedVersion, b: ParsedVersion): -1 | 0 | 1 {
  return cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch) || comparePre(a.pre, b.pre)
}

/** Semver precedence of two versions (build metadata ignored). Throws `UsageError` on invalid input. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  return compareParsed(parseVersion(a), parseVersion(b))
}

/** The later of two versions by semver precedence; `a` when they are equal. */
export function maxVersion(a: string, b: string): string {
  return compareVersions(a, b) >= 0 ? a : b
}

/** Whether state stamped `data` may be used (and written) by code at version `code`. */
export function isDataVersionCompatible(code: string, data: string): boolean {
  const c = parseVersion(code)
  const maxAllowed: ParsedVersion = {
    major: c.major,
    minor: c.minor < U64_MAX ? c.minor + 1n : U64_MAX,
    patch: U64_MAX,
    pre: [],
  }
  return compareParsed(parseVersion(data), maxAllowed) <= 0
}

/**
 * Persist's `check_data_version(code, data)`: throws `IncompatibleVersionError`
 * "{code} received persist state from the future {data}" when `data` is more than one minor
 * version ahead of `code`. Being older is never refused.
 */
export function checkDataVersion(code: string, data: string): void {
  if (!isDataVersionCompatible(code, data)) {
    throw new IncompatibleVersionError(`${code} received persist state from the future ${data}`, {
      details: { codeVersion: code, dataVersion: data },
    })
  }
}
