/**
 * Exit codes (documented in docs/exit-codes.md). Each error category maps to exactly one code;
 * anything that is not a `CatalogDebugError` is an internal error.
 */
import { CatalogDebugError, type ErrorCategory } from '../errors.js'

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2
export const EXIT_NOT_FOUND = 3
export const EXIT_REFUSED = 4
export const EXIT_BUSY = 5
export const EXIT_UPGRADE_CHECK_FAILED = 6
export const EXIT_INTERNAL = 70

const BY_CATEGORY: Readonly<Record<ErrorCategory, number>> = {
  failure: EXIT_FAILURE,
  usage: EXIT_USAGE,
  'not-found': EXIT_NOT_FOUND,
  refused: EXIT_REFUSED,
  busy: EXIT_BUSY,
  fenced: EXIT_BUSY,
  upgrade: EXIT_UPGRADE_CHECK_FAILED,
  internal: EXIT_INTERNAL,
}

/** The exit code for an error that reached `main`. */
export function exitCodeFor(err: unknown): number {
  return err instanceof CatalogDebugError ? BY_CATEGORY[err.category] : EXIT_INTERNAL
}
