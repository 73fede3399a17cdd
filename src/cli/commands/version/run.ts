import type { CommandRunner } from '../../command.js'
import { EXIT_OK } from '../../exit-codes.js'
import { resolveOutputFormat } from '../../options.js'
import { humanVersion } from '../../../store/index.js'
import { jsonDocument } from '../../../render/json-text.js'
import type { VersionArgs } from './index.js'

/** The same text as `--version`, or `{"version": …}`. */
export const runVersion: CommandRunner<VersionArgs> = async (args, ctx) => {
  const format = resolveOutputFormat(args.output)
  await ctx.out.data(format === 'text' ? `${humanVersion()}\n` : jsonDocument({ version: humanVersion() }, format))
  return EXIT_OK
}
