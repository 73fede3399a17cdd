/**
 * The guarded write both `edit` and `delete` go through: preview (a dry run of the core's debug
 * write, under the retry policy), show the change on stderr, stop there for `--dry-run`, ask for
 * confirmation (or refuse without a terminal), then write under the retry policy. The real write
 * re-reads the state itself, so a concurrent writer is never overwritten blindly; if the state
 * changed between preview and write, a warning says so.
 */
import type { JsonValue } from '../catalog/codec/json.js'
import type { CommandContext } from './context.js'
import { confirmWrite } from './confirm.js'
import { withOrganization } from './catalog-access.js'

export interface DebugWritePlan<R> {
  /** "editing config" — what the spinner says while retrying. */
  readonly label: string
  /** "write the new value to config" — the confirmation question. */
  readonly question: string
  readonly dryRun: boolean
  readonly yes: boolean
  /** Runs the core's write on a debug catalog (dry run or not). */
  run(store: import('../store/shard-store.js').ShardStore, organizationId: string, dryRun: boolean): Promise<R>
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
  const preview = await ctx.retrying(`reading for ${plan.label}`, () =>
    withOrganization(ctx, 'read', (store, org) => plan.run(store, org, true)),
  )
  const diff = plan.diff(preview)
  if (diff === undefined) {
    ctx.out.message('no change; nothing written')
    return { result: preview, previewOnly: true }
  }
  ctx.out.message(diff)
  if (plan.dryRun) {
    ctx.out.message('dry run; nothing written')
    return { result: preview, previewOnly: true }
  }
  await confirmWrite(ctx, plan.yes, plan.question)
  const result = await ctx.retrying(plan.label, () => withOrganization(ctx, 'write', (store, org) => plan.run(store, org, false)))
  const { canonicalJson } = await import('../catalog/codec/json.js')
  if (canonicalJson(plan.fingerprint(result)) !== canonicalJson(plan.fingerprint(preview))) {
    ctx.out.warn('the catalog changed after the preview was shown; the printed previous value is the one actually replaced')
  }
  return { result, previewOnly: false }
}
