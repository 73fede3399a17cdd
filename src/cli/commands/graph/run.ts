import type { CommandRunner } from '../../command.js'
import { parseTimestampOption } from '../../as-of.js'
import { withCatalogObjects } from '../../catalog-objects.js'
import { EXIT_OK } from '../../exit-codes.js'
import { resolveOutputFormat } from '../../options.js'
import { openSink } from '../../sink.js'
import { UsageError } from '../../../errors.js'
import { buildGraph, parseKind, resolveObject } from '../../../catalog/names/index.js'
import { renderGraph, type GraphSyntax } from '../../../render/graph.js'
import type { GraphArgs } from './index.js'

/** Lines of the graph handed to the sink at once. */
const WRITE_BATCH = 1000

/** Builds the graph (of the whole catalog, or of what a change to `--root` reaches) and prints it. */
export const runGraph: CommandRunner<GraphArgs> = async (args, ctx) => {
  const root = args.root === undefined ? undefined : parseRoot(args.root)
  if (args.depth !== undefined && (!Number.isInteger(args.depth) || args.depth < 0)) {
    throw new UsageError(`invalid --depth ${String(args.depth)}: expected a whole number of steps (0 or more)`)
  }
  if (args.depth !== undefined && root === undefined) throw new UsageError('--depth needs --root: the steps are counted from the root')
  return withCatalogObjects(ctx, parseTimestampOption(args.asOf), async (objects) => {
    const graph = buildGraph(objects, {
      ...(root === undefined ? {} : { root: resolveObject(objects, parseKind(root.kind), root.name) }),
      ...(args.depth === undefined ? {} : { depth: args.depth }),
      withoutRoles: args.roles === false,
    })
    const sink = openSink(ctx, args.target)
    let batch: string[] = []
    for (const piece of renderGraph(graph, resolveOutputFormat(args.output), (args.format ?? 'dot') as GraphSyntax)) {
      batch.push(piece)
      if (batch.length === WRITE_BATCH) {
        await sink.write(batch)
        batch = []
      }
    }
    await sink.write(batch)
    await sink.commit()
    if (sink.description !== 'stdout') ctx.out.message(`wrote the graph (${graph.nodeCount} objects) to ${sink.description}`)
    return EXIT_OK
  })
}

function parseRoot(text: string): { kind: string; name: string } {
  const colon = text.indexOf(':')
  if (colon <= 0 || colon === text.length - 1) {
    throw new UsageError(`invalid --root "${text}": expected KIND:NAME, e.g. cluster:serving or mv:analytics.marts.daily_revenue`)
  }
  return { kind: text.slice(0, colon), name: text.slice(colon + 1) }
}
