/**
 * Crashes (test plan T-3, T-9): SIGKILL at a random moment during compare-and-appends, command-line
 * edits, migrations (a writable open of a v42 catalog) and online backups. Afterwards: the store
 * passes its integrity check, nothing acknowledged is lost, nothing is half-applied, and a retry
 * of the interrupted append with the same writer id and idempotency token reports success exactly
 * when the append had committed.
 */
import type { SuiteContext } from '../lib/context.js'
import type { ScenarioRow } from '../lib/report.js'
import { killAppends } from './crash-appends.js'
import { killBackups } from './crash-backups.js'
import { killEdits } from './crash-edits.js'
import { killMigrations } from './crash-migrations.js'

/** Shares of REL_KILLS: appends, CLI edits, migrations, backups. */
const SHARES = { appends: 0.4, edits: 0.25, migrations: 0.2, backups: 0.15 } as const

export async function crashScenarios(ctx: SuiteContext): Promise<ScenarioRow[]> {
  const k = (share: number): number => Math.max(1, Math.round(ctx.opts.kills * share))
  return [
    await killAppends(ctx, k(SHARES.appends)),
    await killEdits(ctx, k(SHARES.edits)),
    await killMigrations(ctx, k(SHARES.migrations)),
    await killBackups(ctx, k(SHARES.backups)),
  ]
}
