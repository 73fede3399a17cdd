import type { CommandRunner } from '../../command.js'
import { parseTimestampOption } from '../../as-of.js'
import { withOrganization } from '../../catalog-access.js'
import { EXIT_OK } from '../../exit-codes.js'
import { progressReporter } from '../../progress.js'
import { writeTarget } from '../../sink.js'
import { exportCatalog } from '../../../catalog/fixture/index.js'
import type { ExportArgs } from './index.js'

/** Streams the catalog's fixture lines into stdout or TARGET (put in place only when complete). */
export const runExport: CommandRunner<ExportArgs> = async (args, ctx) => {
  const consolidated = args.consolidated === true
  const asOf = parseTimestampOption(args.asOf)
  let lines = 0
  const where = await writeTarget(
    ctx,
    args.target,
    'exporting the catalog',
    (sink) =>
      withOrganization(ctx, 'read', async (store, org) => {
        lines = 0
        const progress = await progressReporter(ctx.out, ctx.io.isTTY.stdout, 'exporting the catalog', {
          streamsToStdout: args.target === undefined || args.target === '-',
          unit: 'updates',
        })
        for await (const line of exportCatalog(
          store,
          org,
          asOf === undefined ? { consolidated, progress } : { consolidated, asOf, progress },
        )) {
          await sink.write(line)
          lines++
        }
      }),
    { force: args.force === true },
  )
  if (where !== 'stdout')
    ctx.out.message(`exported ${consolidated ? 'the current state' : 'the full history'} to ${where} (${lines - 1} updates)`)
  return EXIT_OK
}
