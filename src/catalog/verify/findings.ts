/**
 * What `verify` reports. Findings are values: a damaged catalog is the expected input of `verify`,
 * not an exceptional one, so nothing here throws for what it finds.
 */

/** The checks `verify` runs, in report order. */
export const VERIFY_CHECKS = [
  'store-integrity',
  'frontiers',
  'seqno',
  'decode',
  'canonical-encoding',
  'multiplicity',
  'epoch',
  'user-version',
  'referential-integrity',
  'unique-names',
  'id-allocators',
  'item-sql',
] as const
export type VerifyCheck = (typeof VERIFY_CHECKS)[number]

/** `error`: the catalog is inconsistent (environmentd would fail or misbehave). `warning`: suspicious. */
export const SEVERITIES = ['error', 'warning'] as const
export type Severity = (typeof SEVERITIES)[number]

export interface Finding {
  readonly check: VerifyCheck
  readonly severity: Severity
  /** One line, naming the objects involved by their ids and names. */
  readonly message: string
  /** The stored text of the rows involved (canonical JSON), for `edit`/`delete` follow-ups. */
  readonly rows: readonly string[]
}

export interface VerifyReport {
  /** True when no finding is an error. */
  readonly ok: boolean
  readonly organizationId: string
  readonly shardId: string
  /** The catalog version whose schemas decoded the rows (`user_version`, else 47). */
  readonly catalogVersion: number
  /** Consolidated rows checked (including the epoch). */
  readonly rows: number
  readonly upper: bigint | null
  readonly since: bigint | null
  readonly checks: readonly VerifyCheck[]
  readonly findings: readonly Finding[]
  readonly counts: { readonly errors: number; readonly warnings: number }
}

export function finding(check: VerifyCheck, severity: Severity, message: string, rows: readonly string[] = []): Finding {
  return { check, severity, message, rows }
}
