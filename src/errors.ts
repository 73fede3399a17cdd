/**
 * The one error hierarchy of catalog-debug.
 *
 * Every error the tool raises on purpose is a {@link CatalogDebugError}: it carries a stable
 * machine-readable `code`, a `category` (which the command line maps to an exit code, see
 * `src/cli/exit-codes.ts`), an optional `hint` for the operator, and whether it is `transient`
 * (the retry policy in `src/retry.ts` retries transient errors only). Anything else that escapes
 * to `main` is an internal error (a bug).
 *
 * Layers below the command line (store, catalog) throw these and never print; only `main` turns
 * them into text.
 */

/** What kind of failure an error is; the command line turns each into one exit code. */
export const ERROR_CATEGORIES = ['failure', 'usage', 'not-found', 'refused', 'busy', 'fenced', 'upgrade', 'internal'] as const
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number]

export interface ErrorOptions {
  hint?: string
  cause?: unknown
  /** Structured details for JSON error output (must be JSON-safe; bigints are rendered as digits). */
  details?: Record<string, unknown>
}

export class CatalogDebugError extends Error {
  readonly code: string
  readonly category: ErrorCategory
  readonly hint: string | undefined
  readonly details: Record<string, unknown> | undefined
  /** Whether retrying the same operation later may succeed (busy store, lost race, dropped connection). */
  readonly transient: boolean

  constructor(code: string, category: ErrorCategory, message: string, opts: ErrorOptions & { transient?: boolean } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = new.target.name
    this.code = code
    this.category = category
    this.hint = opts.hint
    this.details = opts.details
    this.transient = opts.transient ?? false
  }
}

// ---- usage and input ------------------------------------------------------------------------

/** Bad arguments or bad input data (invalid JSON, wrong shape, unknown collection). */
export class UsageError extends CatalogDebugError {
  constructor(message: string, opts: ErrorOptions & { code?: string } = {}) {
    super(opts.code ?? 'usage', 'usage', message, opts)
  }
}

/**
 * A value that does not match its schema. `path` names the offending field
 * (e.g. `value.config.variant.Managed.replication_factor`).
 */
export class ValidationError extends UsageError {
  readonly path: string
  constructor(path: string, message: string, opts: ErrorOptions = {}) {
    super(path === '' ? message : `${path}: ${message}`, { ...opts, code: 'invalid-value' })
    this.path = path
  }
}

/** Something the operator named does not exist (store file, catalog, key, shard). */
export class NotFoundError extends CatalogDebugError {
  constructor(message: string, opts: ErrorOptions & { code?: string } = {}) {
    super(opts.code ?? 'not-found', 'not-found', message, opts)
  }
}

/** A write that was not confirmed: no `--yes` and no terminal to ask, or the operator said no. */
export class RefusedError extends CatalogDebugError {
  constructor(message: string, opts: ErrorOptions & { code?: string } = {}) {
    super(opts.code ?? 'refused', 'refused', message, opts)
  }
}

// ---- store ----------------------------------------------------------------------------------

/** The store is locked by another writer past the busy timeout, or a connection dropped. Transient. */
export class StoreBusyError extends CatalogDebugError {
  constructor(message: string, opts: ErrorOptions & { code?: string } = {}) {
    super(opts.code ?? 'store-busy', 'busy', message, { ...opts, transient: true })
  }
}

/** The store file is damaged (not a database, truncated, failed integrity check). */
export class StoreCorruptError extends CatalogDebugError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('store-corrupt', 'failure', message, opts)
  }
}

/** A valid database that is not a catalog-debug store (foreign application id, unknown tables). */
export class NotAStoreError extends CatalogDebugError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('not-a-store', 'failure', message, opts)
  }
}

/** A store written by a newer format of this tool; refused, never rewritten. */
export class StoreFormatTooNewError extends CatalogDebugError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('store-format-too-new', 'failure', message, opts)
  }
}

/** A write was attempted through a store (or catalog) opened read-only. */
export class ReadOnlyError extends CatalogDebugError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('read-only', 'refused', message, opts)
  }
}

/** Any other error of the storage backend (I/O error, disk full, permission denied). */
export class StoreError extends CatalogDebugError {
  constructor(message: string, opts: ErrorOptions & { code?: string; transient?: boolean } = {}) {
    super(opts.code ?? 'store-error', 'failure', message, opts)
  }
}

/**
 * Persist's `InvalidUsage`: the caller broke the compare-and-append contract. Nothing was written.
 * `kind` is the persist variant name.
 */
export class InvalidUsageError extends CatalogDebugError {
  readonly kind:
    | 'UpdateNotBeyondLower'
    | 'UpdateBeyondUpper'
    | 'InvalidBounds'
    | 'InvalidEmptyTimeInterval'
    | 'CodecMismatch'
    | 'FinalizationError'
    | 'InvalidShardId'
    | 'InvalidValue'
  constructor(kind: InvalidUsageError['kind'], message: string, opts: ErrorOptions = {}) {
    super('invalid-usage', 'failure', message, opts)
    this.kind = kind
  }
}

/** A read at a time before the shard's `since` (persist's `Since` error). `since` is the earliest valid as-of. */
export class SinceError extends CatalogDebugError {
  readonly since: bigint | null
  constructor(message: string, since: bigint | null) {
    super('since', 'failure', message)
    this.since = since
  }
}

/** A read at a time the shard has not reached yet, after waiting for it. */
export class AsOfNotYetAvailableError extends CatalogDebugError {
  constructor(message: string) {
    super('as-of-not-available', 'failure', message, { transient: true })
  }
}

/** A leased reader that expired (or was never registered) was used. */
export class LeaseExpiredError extends CatalogDebugError {
  constructor(message: string) {
    super('lease-expired', 'failure', message)
  }
}

/** Persist's data-version gate: "{build} received persist state from the future {stored}". */
export class IncompatibleVersionError extends CatalogDebugError {
  constructor(message: string, opts: ErrorOptions & { code?: string } = {}) {
    super(opts.code ?? 'incompatible-version', 'failure', message, opts)
  }
}

// ---- catalog --------------------------------------------------------------------------------

/** Another writer got there first (upper moved, or a newer epoch). A fenced catalog writes nothing more. */
export class FenceError extends CatalogDebugError {
  constructor(message: string, opts: ErrorOptions & { code?: string } = {}) {
    super(opts.code ?? 'fenced', 'fenced', message, opts)
  }
}

/**
 * A debug write (edit, delete) lost a race: the shard's upper moved between reading and
 * appending. Transient: the retry policy re-reads and re-applies, so no concurrent edit is lost.
 */
export class UpperMismatchError extends CatalogDebugError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('upper-mismatch', 'busy', message, { ...opts, transient: true })
  }
}

/** The catalog has never been initialised (`epoch`, `trace` and friends need contents). */
export class UninitializedError extends CatalogDebugError {
  constructor(message = 'uninitialized', opts: ErrorOptions = {}) {
    super('uninitialized', 'not-found', message, opts)
  }
}

/** A write through a catalog opened in a mode that cannot write. */
export class NotWritableError extends CatalogDebugError {
  constructor(message: string) {
    super('not-writable', 'refused', message)
  }
}

/** `incompatible Catalog version {found}, minimum: 42, current: 47`. */
export class IncompatibleCatalogVersionError extends CatalogDebugError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('incompatible-catalog-version', 'upgrade', message, opts)
  }
}

/** A catalog transaction broke a key or name uniqueness rule (already exists). */
export class AlreadyExistsError extends CatalogDebugError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('already-exists', 'failure', message, opts)
  }
}

/** Several current values for one key: the catalog is inconsistent; the values are listed. */
export class AmbiguousKeyError extends CatalogDebugError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('ambiguous-key', 'failure', message, opts)
  }
}

/** True when the error is one the retry policy may retry. */
export function isTransient(err: unknown): boolean {
  return err instanceof CatalogDebugError && err.transient
}
