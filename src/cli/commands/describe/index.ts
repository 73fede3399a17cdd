import type { Argv } from 'yargs'
import { AS_OF_OPTION } from '../../as-of.js'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'

const OPTIONS = { ...OUTPUT_OPTION, ...AS_OF_OPTION } as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('kind', {
      type: 'string',
      describe: 'database, schema, item, cluster, replica, role (or an item type: table, view, mv, source, sink, index, …)',
      demandOption: true,
    })
    .positional('name', {
      type: 'string',
      describe: 'The name (qualifiers may be left out while it stays unambiguous: marts.daily_revenue, serving.r1) or the id (u3)',
      demandOption: true,
    })
    .example('$0 --store catalog.db describe cluster serving', 'owner, replicas and sizes, items, privileges')
    .example('$0 --store catalog.db describe mv analytics.marts.daily_revenue', 'references and dependents of an item')
    .example("$0 --store catalog.db describe role analysts -o json | jq '.members[].role.name'", "a role's members")

export type DescribeArgs = ArgsOf<typeof builder>

export const describeCommand = defineCommand({
  name: 'describe',
  command: 'describe <kind> <name>',
  describe:
    "Show one object by name: owner, privileges, database and schema, comments; a cluster's replicas, a role's " +
    "members, an item's references and dependents. Never writes.",
  options: OPTIONS,
  builder,
  effect: 'read',
  load: async () => (await import('./run.js')).runDescribe,
})
