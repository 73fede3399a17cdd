/**
 * The guarded write of `edit` and `delete` (see `guarded-write.ts`): the preview is a dry run of
 * the core's debug write and the write the real one, each under the retry policy. The real write
 * re-reads the state itself, so a concurrent writer is never overwritten blindly; if the state
 * changed between preview and write, a warning says so.
 *
 * Every attempt of the real write shares one {@link DebugWriteSession}: an attempt whose append
 * failed with an unknown outcome (a connection lost during COMMIT) leaves the append pending
 * there, and the next attempt re-sends it with the same idempotency token instead of re-reading
 * a state that may already contain it (which would report "no change" or "not found").
 */
import type { JsonValue } from '../json/lossless-json.js'
import { DebugWriteSession } from '../catalog/debug-write-session.js'
import type { ShardStore } from '../store/index.js'
import type { CommandContext } from './context.js'
import { withOrganization } from './catalog-access.js'
import { guardedWrite } from './guarded-write.js'

export interface DebugWritePlan<R> {
  /** "editing config" — what the spinner says while retrying. */
  readonly label: string
  /** "write the new value to config" — the confirmation question. */
  readonly question: string
  readonly dryRun: boolean
  readonly yes: boolean
  /**
   * Runs the core's write on a debug catalog (dry run or not). A real write gets the session
   * shared by all of its retry attempts; pass it on as the `session` option.
   */
  run(store: ShardStore, organizationId: string, dryRun: boolean, session?: DebugWriteSession): Promise<R>
  /** The change to show, or undefined when there is nothing to write. */
  diff(preview: R): string | undefined
  /** What the state looked like, to notice a change between preview and write. */
  fingerprint(result: R): JsonValue
}

export interface DebugWriteOutcome<R> {
  readonly result: R
  /** True when nothing was written (dry run, or nothing to change). */
  readonly previewOnly: boolean
}

export async function guardedDebugWrite<R>(ctx: CommandContext, plan: DebugWritePlan<R>): Promise<DebugWriteOutcome<R>> {
  const session = new DebugWriteSession()
  const outcome = await guardedWrite(ctx, {
    dryRun: plan.dryRun,
    yes: plan.yes,
    preview: () =>
      ctx.retrying(`reading for ${plan.label}`, () => withOrganization(ctx, 'read', (store, org) => plan.run(store, org, true))),
    describe: (preview) => plan.diff(preview),
    question: () => plan.question,
    write: () => ctx.retrying(plan.label, () => withOrganization(ctx, 'write', (store, org) => plan.run(store, org, false, session))),
  })
  if (!outcome.written) return { result: outcome.preview, previewOnly: true }
  const { canonicalJson } = await import('../json/lossless-json.js')
  if (canonicalJson(plan.fingerprint(outcome.result)) !== canonicalJson(plan.fingerprint(outcome.preview))) {
    ctx.out.warn('the catalog changed after the preview was shown; the printed previous value is the one actually replaced')
  }
  return { result: outcome.result, previewOnly: false }
}
