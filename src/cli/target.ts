/**
 * The TARGET rules, for every command that writes a file (`export`, `dump`, `epoch`, `upgrade` of a
 * fixture, `backup`): a TARGET is never the store or one of its sidecar files (`-wal`, `-shm`,
 * `-journal`; by inode or real path, whatever `--force` says), never a URL, never a directory or
 * other special file, and an existing file only with `--force`. The file itself is written under a
 * temporary name and put in place whole (see `sink.ts`).
 */
import { isUrlLike, namesStoreOrSidecar, regularFileOrAbsent, displayLocation } from '../store/index.js'
import { RefusedError, UsageError } from '../errors.js'
import type { CommandContext } from './context.js'
import { STDIN_ARG } from './options.js'
import { locate, requireParentDirectory } from './store-access.js'

export interface TargetRules {
  /** `--force`: an existing (regular) file may be replaced. */
  readonly force: boolean
  /** Store locations (as typed) the file must not be, besides `--store`. */
  readonly stores?: readonly (string | undefined)[]
  /** How messages name the file (default `TARGET`). */
  readonly what?: string
}

/** Whether `target` means stdout (absent, or `-`). */
export function isStdoutTarget(target: string | undefined): boolean {
  return target === undefined || target === STDIN_ARG || target === '-'
}

/** Checks `target` against the rules and returns its absolute path. */
export function checkTarget(ctx: CommandContext, target: string, rules: TargetRules): string {
  const what = rules.what ?? 'TARGET'
  if (isUrlLike(target)) {
    throw new UsageError(`${what} ${displayLocation(target)} is a URL; ${what} must be a file path`, { code: 'target-is-url' })
  }
  const path = ctx.resolvePath(target)
  refuseStoreFile(ctx, path, what, rules.stores ?? [])
  const state = regularFileOrAbsent(path, what, (m) => new RefusedError(m, { code: 'target-not-a-file' }))
  if (state.exists && !rules.force) {
    throw new RefusedError(`${what} ${path} exists; not replacing it`, {
      code: 'target-exists',
      hint: 'choose a new file name, or pass --force to replace it',
    })
  }
  if (!state.exists) requireParentDirectory(path)
  return path
}

/**
 * Throws the refusal (exit 4) when `path` (absolute) is `--store` (or one of `others`) or one of
 * its sidecar files. Whatever `--force` says.
 */
export function refuseStoreFile(ctx: CommandContext, path: string, what: string, others: readonly (string | undefined)[] = []): void {
  for (const given of [ctx.options.store, ...others]) {
    if (given === undefined || given === STDIN_ARG) continue
    const loc = locate(ctx, given)
    if (namesStoreOrSidecar(loc, path)) {
      throw new RefusedError(`${what} ${path} is the store itself or one of its files (--store ${loc.display})`, {
        code: 'target-is-store',
        hint: `name a different file for ${what}; --force does not change that`,
      })
    }
  }
}
