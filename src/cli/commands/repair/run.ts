import type { CommandRunner } from '../../command.js'
import type { CommandContext } from '../../context.js'
import { withOrganization } from '../../catalog-access.js'
import { EXIT_OK } from '../../exit-codes.js'
import { guardedWrite } from '../../guarded-write.js'
import { boundHeapGrowth } from '../../heap-growth.js'
import { readArgumentText } from '../../input.js'
import { resolveOutputFormat, STDIN_ARG } from '../../options.js'
import { isFixtureStore, withStore } from '../../store-access.js'
import { writeTarget } from '../../sink.js'
import { checkTarget } from '../../target.js'
import { UsageError } from '../../../errors.js'
import {
  applyRepairPlan,
  describePlan,
  parsePlan,
  parseRepoint,
  planRepair,
  planToJson,
  repairedFixtureLines,
  type RepairOptions,
  type RepairPlan,
} from '../../../catalog/repair/index.js'
import { jsonDocument } from '../../../render/json-text.js'
import { renderApplyOutcome, renderRepairPlan } from '../../../render/repair-plan.js'
import type { RepairArgs } from './index.js'

/**
 * Plans (read-only), prints the plan, and applies it only with --yes or a confirmation on a
 * terminal; without either, the plan is the answer (exit 0). `--apply FILE` applies a saved plan,
 * which always needs --yes or a confirmation (exit 4 without).
 */
export const runRepair: CommandRunner<RepairArgs> = async (args, ctx) => {
  const format = resolveOutputFormat(args.output)
  const options = repairOptions(args)
  const saves = args.planOut !== undefined || args.patchOut !== undefined
  if (args.apply !== undefined && (saves || Object.keys(options).length > 0)) {
    throw new UsageError('--apply applies a saved plan as it is: it takes no planning options, --plan-out or --patch-out')
  }
  if (saves && args.yes === true) {
    throw new UsageError('--plan-out and --patch-out save the plan for review and write nothing else', {
      hint: 'apply the saved plan with: repair --apply PLAN --yes',
    })
  }
  for (const target of [args.planOut, args.patchOut])
    if (target !== undefined) checkTarget(ctx, target, { force: args.force === true, what: 'the output file' })

  let plan: RepairPlan
  let patch: string[] | undefined
  if (args.apply !== undefined) {
    plan = parsePlan(await readArgumentText(ctx, 'PLAN', args.apply === STDIN_ARG ? STDIN_ARG : `@${args.apply}`))
    const org = ctx.options.organizationId
    if (org !== undefined && org !== plan.organizationId) {
      throw new UsageError(`the plan was made for organization ${plan.organizationId}, not ${org}`)
    }
  } else {
    ;[plan, patch] = await ctx.retrying('planning the repair', () =>
      withOrganization(ctx, 'read', async (store, org) => {
        // Planning keeps little alive (what grows is on disk): keep V8's headroom from growing with the reads.
        boundHeapGrowth()
        const p = await planRepair(store, org, options)
        if (args.patchOut === undefined) return [p, undefined] as const
        const lines: string[] = []
        for await (const line of await repairedFixtureLines(store, p)) lines.push(line)
        return [p, lines] as const
      }),
    )
  }
  // Written as every TARGET is (sink.ts): a private temporary file in the same directory, put in place whole.
  const force = args.force === true
  const saved = jsonDocument(planToJson(plan), 'json')
  if (args.planOut !== undefined) await writeTarget(ctx, args.planOut, 'saving the plan', (sink) => sink.write(saved), { force })
  const lines = patch
  if (args.patchOut !== undefined && lines !== undefined)
    await writeTarget(ctx, args.patchOut, 'saving the repaired catalog', (sink) => sink.write(lines), { force })
  await ctx.out.data(renderRepairPlan(plan, format, ctx.out.stdoutColor))
  for (const p of options.repoint ?? []) {
    const used = plan.repairs.some((r) => r.action === 'repoint' && r.reason.includes(` missing ${p.kind} ${p.from} `))
    if (!used) ctx.out.warn(`--repoint ${p.kind}:${p.from}=${p.to} matched no reference to a missing ${p.kind} ${p.from}`)
  }
  if (args.planOut !== undefined) ctx.out.message(`plan saved to ${args.planOut}; apply it with: repair --apply ${args.planOut}`)
  if (args.patchOut !== undefined)
    ctx.out.message(`repaired catalog written to ${args.patchOut}; compare with: diff STORE ${args.patchOut}`)

  // Without --yes, a fixture (never written) or a run nobody can be asked in gets the plan only.
  const askable = ctx.io.isTTY.stdin && ctx.io.isTTY.stderr && !isFixtureStore(ctx)
  if (args.apply === undefined && (saves || args.dryRun === true || (args.yes !== true && !askable) || plan.updates.length === 0)) {
    if (plan.updates.length > 0) {
      ctx.out.message(
        isFixtureStore(ctx)
          ? 'plan only; a fixture is never written (write the repaired copy with --patch-out FILE)'
          : 'plan only; nothing written (apply it with --yes, or save it with --plan-out)',
      )
    }
    return EXIT_OK
  }
  const outcome = await guardedWrite(ctx, {
    dryRun: args.dryRun === true,
    yes: args.yes === true,
    fixtureHint: `write the repaired catalog to a new fixture instead: repair --patch-out REPAIRED.ndjson`,
    preview: async () => plan,
    describe: (p) => (p.updates.length === 0 ? undefined : `repair: ${p.repairs.length} repairs, ${p.updates.length} updates in one write`),
    question: (p) => `apply this repair plan (${p.updates.length} updates in one write)`,
    write: (p) =>
      ctx.retrying('applying the repair', () => withStore(recordingReason(ctx, p), 'write', (store) => applyRepairPlan(store, p))),
  })
  if (outcome.written) ctx.out.message(renderApplyOutcome(plan, outcome.result))
  return EXIT_OK
}

/** The context whose write record says why: `--reason`, or else what the plan does. */
function recordingReason(ctx: CommandContext, plan: RepairPlan): CommandContext {
  const invocation = ctx.invocation
  if (invocation === undefined || invocation.reason !== undefined) return ctx
  return { ...ctx, invocation: { ...invocation, reason: describePlan(plan) } }
}

function repairOptions(args: RepairArgs): RepairOptions {
  return {
    ...(args.allowDelete === true ? { allowDelete: true } : {}),
    ...(args.removeDangling === true ? { removeDangling: true } : {}),
    ...(args.repoint === undefined || args.repoint.length === 0 ? {} : { repoint: args.repoint.map(parseRepoint) }),
    ...(args.renameSuffix === undefined ? {} : { renameSuffix: checkedSuffix(args.renameSuffix) }),
  }
}

function checkedSuffix(suffix: string): string {
  if (suffix === '') throw new UsageError('--rename-suffix must not be empty')
  return suffix
}
