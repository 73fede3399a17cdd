/**
 * `verify`: checks a catalog's invariants and the store it lives in, and reports findings.
 *
 * Never writes (every read is a snapshot or an inspect), never throws for what it finds: a
 * damaged catalog gives a report with `ok: false`. It throws only when there is nothing to check
 * (`NotFoundError`: no catalog for the organization) or the store cannot be read at all.
 */

import { CatalogDebugError, NotFoundError } from '../../errors.js'
import { CATALOG_SEED, shardId } from '../../store/shard-id.js'
import type { ShardStore } from '../../store/shard-store.js'
import { CATALOG_VERSION } from '../kinds/versions.js'
import { finding, VERIFY_CHECKS, type Finding, type VerifyCheck, type VerifyReport } from './findings.js'
import { checkState, storeState, type CatalogState, type StateCheck } from './catalog-state.js'
import { checkRows, RowChecker, type RowCount } from './row-checks.js'
import { semanticChecks } from './semantic-checks.js'
import { statedVersion } from './stated-version.js'

export interface VerifyOptions {
  /** Run only these checks (default: all). */
  readonly checks?: readonly VerifyCheck[]
  /**
   * The store's full integrity check (SQLite `integrity_check`, which also checks that each index
   * holds exactly its table's rows) instead of the quick one (`quick_check`).
   */
  readonly fullIntegrity?: boolean
  /** Called as rows are checked, with the consolidated rows checked so far. */
  readonly progress?: (done: number) => void
}

/** Checks of consolidated rows only (no store): for fixtures and in-memory states. */
export function verifyRows(rows: readonly RowCount[], opts: VerifyOptions = {}): { version: number; findings: Finding[] } {
  const { findings, index } = checkRows(rows)
  try {
    const all = [...findings, ...semanticChecks(index)]
    return { version: index.version, findings: select(all, opts) }
  } finally {
    index.close()
  }
}

/** Sorts findings into report order, keeping only the checks `opts` asks for. */
export function select(findings: readonly Finding[], opts: VerifyOptions): Finding[] {
  const only = opts.checks === undefined ? undefined : new Set(opts.checks)
  const kept = only === undefined ? [...findings] : findings.filter((f) => only.has(f.check))
  // Report order: by check (as listed in VERIFY_CHECKS), errors before warnings, then as found.
  return kept
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        VERIFY_CHECKS.indexOf(a.f.check) - VERIFY_CHECKS.indexOf(b.f.check) ||
        (a.f.severity === b.f.severity ? 0 : a.f.severity === 'error' ? -1 : 1) ||
        a.i - b.i,
    )
    .map(({ f }) => f)
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * Verifies the catalog of `organizationId` in `store`: the store's own integrity check, the
 * catalog shard's frontiers and seqno, then every row check on the consolidated state at
 * upper − 1 (read byte for byte, so non-canonical rows are caught).
 */
export async function verifyStore(store: ShardStore, organizationId: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const { report, checked } = await inspectStore(store, organizationId, opts)
  checked?.index.close()
  return report
}

/**
 * {@link verifyStore}'s report, and the check of the catalog's rows it made (absent when the
 * rows could not be read): what `repair` starts planning from. The caller closes its index.
 */
export async function inspectStore(
  store: ShardStore,
  organizationId: string,
  opts: VerifyOptions = {},
): Promise<{ report: VerifyReport; checked: StateCheck | undefined }> {
  const shard = shardId(organizationId, CATALOG_SEED)
  const findings: Finding[] = []

  // The store's own check reads the whole store file; its findings are all `store-integrity`
  // ones, so it runs only when that check is asked for.
  if (opts.checks === undefined || opts.checks.includes('store-integrity')) {
    try {
      for (const problem of await store.integrityCheck({ quick: opts.fullIntegrity !== true }))
        findings.push(finding('store-integrity', 'error', `store integrity check: ${problem}`))
    } catch (err) {
      findings.push(finding('store-integrity', 'error', `store integrity check failed: ${message(err)}`))
    }
  }

  const listing = (await store.listShards()).find((s) => s.shardId === shard)
  if (listing === undefined) {
    throw new NotFoundError(`no catalog for organization ${organizationId} in this store (shard ${shard} does not exist)`, {
      hint: 'check --organization-id; `catalog-debug inspect` lists the shards a store holds',
    })
  }
  const upper = await store.fetchRecentUpper(shard)
  const since = await store.fetchSince(shard)
  if (upper === null)
    findings.push(
      finding('frontiers', 'error', 'the catalog shard is finished (upper is the empty frontier): nothing can be written to it again'),
    )
  else if (upper === 0n)
    findings.push(finding('frontiers', 'error', 'the catalog shard has upper 0: it was never written, so it is not readable'))
  if (since === null) findings.push(finding('frontiers', 'error', 'the catalog shard since is the empty frontier: nothing can be read'))
  else if (upper !== null && upper > 0n && since > upper - 1n) {
    findings.push(
      finding(
        'frontiers',
        'error',
        `since ${since} is beyond upper − 1 = ${upper - 1n}: the current state is not readable (the catalog keeps since at most upper − 1)`,
      ),
    )
  }

  try {
    const state = await store.inspect(shard)
    if (state.seqno < 1n)
      findings.push(
        finding('seqno', 'error', `the catalog shard's seqno is ${state.seqno}; every committed state change increments it from 1`),
      )
    if (state.seqno !== listing.seqno)
      findings.push(
        finding(
          'seqno',
          'warning',
          `the catalog shard's seqno changed while verifying (${listing.seqno} → ${state.seqno}): another process is writing`,
        ),
      )
  } catch (err) {
    findings.push(finding('seqno', 'error', `cannot inspect the catalog shard: ${message(err)}`))
  }

  let rows = 0
  let version: number = CATALOG_VERSION
  let checked: StateCheck | undefined
  const readable = upper !== null && upper > 0n && since !== null && since <= upper - 1n
  if (readable) {
    const check = await checkReadable(storeState(store, shard, upper - 1n), opts)
    rows = check.rows
    version = check.index.version
    findings.push(...check.findings)
    if (check.read) checked = check
    else check.index.close()
  }
  const selected = select(findings, opts)
  const errors = selected.filter((f) => f.severity === 'error').length
  const report: VerifyReport = {
    ok: errors === 0,
    organizationId,
    shardId: shard,
    catalogVersion: version,
    rows,
    upper,
    since,
    checks: opts.checks ?? VERIFY_CHECKS,
    findings: selected,
    counts: { errors, warnings: selected.length - errors },
  }
  return { report, checked }
}

/**
 * {@link checkState}, with a read that fails (the store cannot give the rows) reported as a
 * store-integrity finding beside the checks of an empty catalog.
 */
async function checkReadable(state: CatalogState, opts: VerifyOptions): Promise<StateCheck & { read: boolean }> {
  try {
    return { ...(await checkState(state, opts.progress)), read: true }
  } catch (err) {
    if (!(err instanceof CatalogDebugError)) throw err
    const { findings, index } = new RowChecker(statedVersion([])).finish()
    return {
      findings: [
        finding('store-integrity', 'error', `cannot read the catalog shard: ${message(err)}`),
        ...findings,
        ...semanticChecks(index),
      ],
      index,
      rows: 0,
      read: false,
    }
  }
}
