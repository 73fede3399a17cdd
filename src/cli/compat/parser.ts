/**
 * Materialize's command line (`src/catalog-debug/src/main.rs`, v47 era), read by yargs: the
 * global flags `--store`, `--postgres-url`, `--organization-id`, `--persist-blob-url`,
 * `--persist-consensus-url` (and their `MZ_CATALOG_DEBUG_*` variables) and the five commands
 * with their arguments. Parsing only: `run.ts` executes.
 */
import yargs from 'yargs'
import { UsageError } from '../../errors.js'
import { humanVersion } from '../../store/index.js'

/** A command line Materialize's tool would refuse with a usage error (clap's exit 2). */
export class CompatArgumentError extends UsageError {}

/** What the flags name, before the store location is worked out (see `resolveCompatStore`). */
export interface CompatGlobals {
  readonly store: string | undefined
  /** `CATALOG_DEBUG_STORE`: the store when no flag or Materialize variable names one. */
  readonly storeFromEnvironment: string | undefined
  readonly postgresUrl: string | undefined
  readonly organizationId: string | undefined
  readonly persistBlobUrl: string | undefined
  readonly persistConsensusUrl: string | undefined
}

export type CompatCommand =
  | {
      readonly name: 'dump'
      readonly ignoreLargeCollections: boolean
      readonly ignore: readonly string[]
      readonly target: string | undefined
    }
  | { readonly name: 'epoch'; readonly target: string | undefined }
  | { readonly name: 'edit'; readonly collection: string; readonly key: string; readonly value: string }
  | { readonly name: 'delete'; readonly collection: string; readonly key: string }
  | { readonly name: 'upgrade-check'; readonly clusterReplicaSizes: string | undefined }

/** Each flag's variable, as Materialize's `env_prefix: "MZ_CATALOG_DEBUG_"` names them; then ours. */
const ENVIRONMENT: Readonly<Record<Exclude<keyof CompatGlobals, 'store'>, readonly string[]>> = {
  storeFromEnvironment: ['CATALOG_DEBUG_STORE'],
  postgresUrl: ['MZ_CATALOG_DEBUG_ADAPTER_STASH_URL'],
  organizationId: ['MZ_CATALOG_DEBUG_ORG_ID', 'CATALOG_DEBUG_ORGANIZATION_ID'],
  persistBlobUrl: ['MZ_CATALOG_DEBUG_PERSIST_BLOB_URL'],
  persistConsensusUrl: ['MZ_CATALOG_DEBUG_PERSIST_CONSENSUS_URL'],
}

const GLOBAL_OPTIONS = {
  store: {
    type: 'string',
    requiresArg: true,
    describe:
      "Materialize's catalog kind: `persist` opens the store named by --persist-consensus-url (`stash` is not supported). " +
      'Anything else names the store itself, as in the usual mode. Env: CATALOG_DEBUG_STORE',
  },
  'postgres-url': {
    type: 'string',
    requiresArg: true,
    describe: 'The stash URL of `--store stash`, which is not supported. Env: MZ_CATALOG_DEBUG_ADAPTER_STASH_URL',
  },
  'organization-id': {
    type: 'string',
    requiresArg: true,
    describe: 'The organization ID of the environment (optional when the store holds one catalog). Env: MZ_CATALOG_DEBUG_ORG_ID',
  },
  'persist-blob-url': {
    type: 'string',
    requiresArg: true,
    describe: "Accepted and ignored: this tool's store keeps blobs inline with the shard. Env: MZ_CATALOG_DEBUG_PERSIST_BLOB_URL",
  },
  'persist-consensus-url': {
    type: 'string',
    requiresArg: true,
    describe:
      'The store: a SQLite file (a path or file:// URL), a postgres:// URL, or a fixture (*.ndjson). Env: MZ_CATALOG_DEBUG_PERSIST_CONSENSUS_URL',
  },
} as const

const TARGET = { type: 'string', describe: 'Write output to specified path. Default stdout.' } as const

export interface CompatParse {
  readonly globals: CompatGlobals
  /** Undefined when yargs answered instead (help, version): see `output`. */
  readonly command: CompatCommand | undefined
  readonly output: string
}

function fromEnv(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = env[n]
    if (v !== undefined && v !== '') return v
  }
  return undefined
}

/** Parses Materialize's command line. Throws {@link CompatArgumentError} where clap would refuse it. */
export async function parseCompatArguments(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<CompatParse> {
  let command: CompatCommand | undefined
  let raw: Record<string, unknown> = {}
  const take = (c: CompatCommand) => (argv: Record<string, unknown>) => {
    command = c
    raw = argv
  }
  const str = (v: unknown): string | undefined => (v === undefined ? undefined : String(v))
  const parser = yargs()
    .scriptName('catalog-debug --compat materialize')
    .locale('en')
    .strict()
    .exitProcess(false)
    .showHelpOnFail(false)
    .version(`catalog ${humanVersion()}`)
    .help()
    .alias('help', 'h')
    .wrap(100)
    .fail((msg, err) => {
      if (err) throw err
      throw new CompatArgumentError(msg)
    })
    .options(GLOBAL_OPTIONS)
    .command(
      'dump [target]',
      'Dumps the catalog contents to stdout in a human readable format, with JSON for each key and value that can be hand edited and passed to `edit` or `delete`.',
      (y) =>
        y
          .option('ignore-large-collections', { type: 'boolean', describe: 'Ignores the `audit_log` and `storage_usage` collections.' })
          .option('ignore', { alias: 'i', type: 'string', requiresArg: true, describe: 'A collection to ignore (repeatable).' })
          .positional('target', TARGET),
      (a) => {
        const ignore = a.ignore === undefined ? [] : (Array.isArray(a.ignore) ? a.ignore : [a.ignore]).map(String)
        take({ name: 'dump', ignoreLargeCollections: a.ignoreLargeCollections === true, ignore, target: str(a.target) })(a)
      },
    )
    .command(
      'epoch [target]',
      'Prints the current epoch.',
      (y) => y.positional('target', TARGET),
      (a) => take({ name: 'epoch', target: str(a.target) })(a),
    )
    .command(
      'edit <collection> <key> <value>',
      'Edits a single item in a collection in the catalog.',
      (y) =>
        y
          .positional('collection', { type: 'string', describe: 'The name of the catalog collection to edit.' })
          .positional('key', { type: 'string', describe: 'The JSON-encoded key that identifies the item to edit.' })
          .positional('value', { type: 'string', describe: 'The new JSON-encoded value for the item.' }),
      (a) => take({ name: 'edit', collection: String(a.collection), key: String(a.key), value: String(a.value) })(a),
    )
    .command(
      'delete <collection> <key>',
      'Deletes a single item in a collection in the catalog',
      (y) =>
        y
          .positional('collection', { type: 'string', describe: 'The name of the catalog collection to edit.' })
          .positional('key', { type: 'string', describe: 'The JSON-encoded key that identifies the item to delete.' }),
      (a) => take({ name: 'delete', collection: String(a.collection), key: String(a.key) })(a),
    )
    .command(
      'upgrade-check [cluster_replica_sizes]',
      'Checks if the specified catalog could be upgraded from its state to the adapter catalog at the version of this binary. ' +
        'Commits nothing. Exits with 0 if the upgrade would succeed, otherwise non-zero.',
      (y) => y.positional('cluster_replica_sizes', { type: 'string', describe: 'Map of cluster name to resource specification.' }),
      (a) => take({ name: 'upgrade-check', clusterReplicaSizes: str(a.cluster_replica_sizes) })(a),
    )
    .demandCommand(1, 'a subcommand is required')
    .epilogue('Materialize-compatible mode: see docs/compat-materialize.md for what is the same and what differs on purpose.')
  let output = ''
  try {
    await parser.parseAsync([...argv], {}, (_err, _argv, text) => {
      output = text ?? ''
    })
  } catch (err) {
    if (err instanceof Error && err.name === 'YError') throw new CompatArgumentError(err.message, { cause: err })
    throw err
  }
  const flag = (name: string): string | undefined => {
    const v = raw[name]
    return v === undefined || v === '' ? undefined : Array.isArray(v) ? String(v.at(-1)) : String(v)
  }
  const globals: CompatGlobals = {
    store: flag('store'),
    storeFromEnvironment: fromEnv(env, ENVIRONMENT.storeFromEnvironment),
    postgresUrl: flag('postgres-url') ?? fromEnv(env, ENVIRONMENT.postgresUrl),
    organizationId: flag('organization-id') ?? fromEnv(env, ENVIRONMENT.organizationId),
    persistBlobUrl: flag('persist-blob-url') ?? fromEnv(env, ENVIRONMENT.persistBlobUrl),
    persistConsensusUrl: flag('persist-consensus-url') ?? fromEnv(env, ENVIRONMENT.persistConsensusUrl),
  }
  return { globals, command, output }
}
