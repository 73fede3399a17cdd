/**
 * The guarded write every command that changes an existing catalog or store goes through (`edit`,
 * `delete`, `upgrade`, `restore`): preview (reads only), show the change on stderr, stop there for
 * `--dry-run`, ask for confirmation (or refuse without a terminal, exit 4), then write.
 *
 * A fixture `--store` is refused before anything else (exit 4), except for a dry run, which only
 * reads: previewing an edit on a snapshot is harmless.
 */
import type { CommandContext } from './context.js'
import { confirmWrite } from './confirm.js'
import { refuseFixtureStore } from './store-access.js'

export interface GuardedWritePlan<P, R> {
  readonly dryRun: boolean
  readonly yes: boolean
  /** Suggestion when `--store` is a fixture (default: import it into a store). */
  readonly fixtureHint?: string
  /** Reads what the write would do; never writes. */
  preview(): Promise<P>
  /** The change to show on stderr, or undefined when there is nothing to write. */
  describe(preview: P): string | undefined
  /** What is about to happen, as the confirmation question ("write the new value to config …"). */
  question(preview: P): string
  /** Does the write (after confirmation). */
  write(preview: P): Promise<R>
}

export type GuardedWriteOutcome<P, R> =
  | { readonly written: false; readonly preview: P }
  | { readonly written: true; readonly preview: P; readonly result: R }

export async function guardedWrite<P, R>(ctx: CommandContext, plan: GuardedWritePlan<P, R>): Promise<GuardedWriteOutcome<P, R>> {
  if (!plan.dryRun) refuseFixtureStore(ctx, plan.fixtureHint === undefined ? {} : { hint: plan.fixtureHint })
  const preview = await plan.preview()
  const change = plan.describe(preview)
  if (change === undefined) {
    ctx.out.message('no change; nothing written')
    return { written: false, preview }
  }
  ctx.out.message(change)
  if (plan.dryRun) {
    ctx.out.message('dry run; nothing written')
    return { written: false, preview }
  }
  await confirmWrite(ctx, plan.yes, plan.question(preview))
  return { written: true, preview, result: await plan.write(preview) }
}
