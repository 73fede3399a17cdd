import type { Argv } from 'yargs'
import { AS_OF_OPTION } from '../../as-of.js'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'
import { GRAPH_SYNTAXES } from '../../../render/graph.js'

const OPTIONS = {
  ...OUTPUT_OPTION,
  ...AS_OF_OPTION,
  format: {
    alias: 'f',
    type: 'string',
    choices: GRAPH_SYNTAXES,
    describe: 'Graph syntax of text output',
    defaultDescription: 'dot',
    requiresArg: true,
  },
  root: { type: 'string', describe: 'Draw only what a change to this object reaches: KIND:NAME (cluster:serving)', requiresArg: true },
  depth: { type: 'number', describe: 'With --root: follow at most this many steps', requiresArg: true },
  roles: {
    type: 'boolean',
    describe: 'Draw roles with their owner and membership edges (--no-roles leaves them out)',
    defaultDescription: 'true',
  },
} as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('target', { type: 'string', describe: 'Write the graph to this file instead of stdout' })
    .example('$0 --store catalog.db graph | dot -Tsvg > catalog.svg', 'the whole catalog as a picture (Graphviz)')
    .example('$0 --store catalog.db graph --root cluster:serving --depth 2 --no-roles', 'what a change to cluster serving reaches')
    .example('$0 --store catalog.db graph -f mermaid', 'a Mermaid flowchart, for a Markdown page')

export type GraphArgs = ArgsOf<typeof builder>

export const graphCommand = defineCommand({
  name: 'graph',
  command: 'graph [target]',
  describe:
    'Draw the object graph (Graphviz DOT, or Mermaid with -f mermaid): database → schema → item, cluster → replica, ' +
    'index → relation, item → items it uses, owners and role membership. Never writes to the store.',
  options: OPTIONS,
  builder,
  effect: 'read',
  load: async () => (await import('./run.js')).runGraph,
})
