import { existsSync } from 'node:fs'
import { basename } from 'node:path'
import type { CommandRunner } from '../../command.js'
import type { CommandContext } from '../../context.js'
import { EXIT_OK } from '../../exit-codes.js'
import { isStdinArgument, readArgumentText } from '../../input.js'
import { resolveOutputFormat } from '../../options.js'
import { progressReporter } from '../../progress.js'
import { displayLocation, withStore } from '../../store-access.js'
import { NotFoundError } from '../../../errors.js'
import { CreationSession } from '../../../catalog/index.js'
import { fileLines, importFixture, textLines, type LineSource } from '../../../catalog/fixture/index.js'
import { renderImport } from '../../../render/import-result.js'
import type { ImportArgs } from './index.js'

/** Validates the whole fixture, then writes it as one append into a new catalog (creating the store if needed). */
export const runImport: CommandRunner<ImportArgs> = async (args, ctx) => {
  const progress = await progressReporter(ctx.out, ctx.io.isTTY.stdout, 'importing the fixture', { unit: 'updates' })
  const { lines, name } = await fixtureLines(ctx, args.fixture)
  // One creation across every retry attempt: an append whose reply was lost is recognised as ours.
  const session = new CreationSession()
  const result = await ctx.retrying('importing the fixture', () =>
    withStore(ctx, 'create', (store) =>
      importFixture(store, ctx.options.organizationId, lines, {
        name,
        progress,
        session,
      }),
    ),
  )
  await ctx.out.data(renderImport(result, displayLocation(ctx.options.store as string), resolveOutputFormat(args.output)))
  return EXIT_OK
}

/** The fixture's lines, re-readable (a retry reads them again): a file streams, stdin is read once. */
async function fixtureLines(ctx: CommandContext, arg: string): Promise<{ lines: LineSource; name: string }> {
  if (isStdinArgument(arg)) return { lines: textLines(await readArgumentText(ctx, 'FIXTURE', arg)), name: 'stdin' }
  const path = ctx.resolvePath(arg)
  if (!existsSync(path)) throw new NotFoundError(`fixture not found: ${path}`, { code: 'file-not-found' })
  return { lines: fileLines(path), name: basename(path) }
}
