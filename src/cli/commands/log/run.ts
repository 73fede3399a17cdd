import type { CommandRunner } from '../../command.js'
import { withOrganization } from '../../catalog-access.js'
import { EXIT_OK } from '../../exit-codes.js'
import { resolveOutputFormat } from '../../options.js'
import { UsageError } from '../../../errors.js'
import { catalogWrites } from '../../../catalog/index.js'
import { renderLog } from '../../../render/write-log.js'
import type { LogArgs } from './index.js'

/** Lists the catalog's write records, one line per command run (never writes). */
export const runLog: CommandRunner<LogArgs> = async (args, ctx) => {
  const limit = args.n
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) throw new UsageError(`invalid -n ${limit}: expected a count`)
  const sinceMs = args.since === undefined ? undefined : parseSince(args.since, ctx.now())
  const writes = await ctx.retrying('reading the write log', () =>
    withOrganization(ctx, 'read', (store, org) =>
      catalogWrites(store, org, { ...(limit === undefined ? {} : { limit }), ...(sinceMs === undefined ? {} : { sinceMs }) }),
    ),
  )
  await ctx.out.data(renderLog(writes, resolveOutputFormat(args.output)))
  return EXIT_OK
}

const AGE_UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** `--since`: an age (`30m`, `2h`, `7d`) before now, or an ISO date/time. */
function parseSince(text: string, nowMs: number): bigint {
  const age = /^(\d+)([smhdw])$/.exec(text.trim())
  if (age !== null) return BigInt(Math.trunc(nowMs - Number(age[1]) * (AGE_UNITS_MS[age[2] as string] as number)))
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(ms)) {
    throw new UsageError(`invalid --since "${text}": expected an ISO date/time (2026-12-07T17:00Z) or an age like 30m, 2h, 7d`)
  }
  return BigInt(ms)
}
