/**
 * The Materialize-compatible mode (`--compat materialize`): Materialize's five commands with its
 * flags, its outputs byte for byte and its error line (`catalog-debug: fatal: …`, exit 1), over
 * this tool's store and catalog core. What stays this tool's own: edits and deletes bump the epoch
 * and refuse values that do not decode, reads open the store read-only, and nothing asks for
 * confirmation (Materialize's tool never does). See docs/compat-materialize.md.
 *
 * `main` runs a compat command as it runs any other: the same Output (every password on the
 * command line or in the environment scrubbed), the same refusal of safety switches set in the
 * environment, and the guards of the command's declaration (store location parsed up front, TARGET
 * rules, declared effect binding what it opens). Only the command line and the output are
 * Materialize's; this module parses, runs and reports errors in its shape.
 */
import { fileURLToPath } from 'node:url'
import { CatalogDebugError, UninitializedError } from '../../errors.js'
import { JsonSyntaxError, parseJson, isJsonObject, type JsonObject, type JsonValue } from '../../json/lossless-json.js'
import { COLLECTION_NAMES, isCollectionName, isLargeCollection, type CollectionName } from '../../catalog/kinds/collections.js'
import { kindsForVersion } from '../../catalog/kinds/schema-sets.js'
import { isSupportedCatalogVersion } from '../../catalog/kinds/versions.js'
import { CATALOG_VERSION } from '../../catalog/constants.js'
import { openUnopenedCatalog, type UnopenedCatalog } from '../../catalog/unopened-catalog.js'
import { catalogShardIds } from '../../catalog/catalog-shards.js'
import { upgradeCheck } from '../../catalog/upgrade-check.js'
import { DebugWriteSession } from '../../catalog/debug-write-session.js'
import {
  COMPAT_DUMP_CLOSE,
  COMPAT_DUMP_EMPTY,
  COMPAT_DUMP_OPEN,
  compatDumpCollection,
  type CompatDumpEntry,
} from '../../render/compat/dump.js'
import { serdeValueDebug } from '../../render/compat/serde-value-debug.js'
import { upgradeSuccessLine } from '../../render/upgrade-report.js'
import { DEFAULT_RETRY_TIMEOUT_MS } from '../../retry.js'
import { withOrganization } from '../catalog-access.js'
import type { CommandDeclaration } from '../command.js'
import type { CommandContext } from '../context.js'
import type { CliIo } from '../io.js'
import { parseOrganizationId, type GlobalOptions } from '../options.js'
import type { Output } from '../output.js'
import { openSink, writeTarget } from '../sink.js'
import { refuseFixtureStore } from '../store-access.js'
import { CompatArgumentError, parseCompatArguments, type CompatCommand, type CompatGlobals } from './parser.js'

/** What each command does, declared as the usual mode's commands are, so that `main` applies the same guards. */
const DECLARATIONS: { readonly [N in CompatCommand['name']]: CommandDeclaration } = {
  dump: { name: 'dump', needsStore: true, effect: 'read', writesTarget: true },
  epoch: { name: 'epoch', needsStore: true, effect: 'read', writesTarget: true },
  edit: { name: 'edit', needsStore: true, effect: 'write', writesTarget: false },
  delete: { name: 'delete', needsStore: true, effect: 'write', writesTarget: false },
  'upgrade-check': { name: 'upgrade-check', needsStore: true, effect: 'read', writesTarget: false },
}

/** A compat command line, parsed: what `main` needs to wire and run it. */
export type CompatRun =
  /** yargs answered (help, version): print this. */
  | { readonly command: undefined; readonly output: string }
  | {
      readonly command: CompatCommand
      readonly declaration: CommandDeclaration
      /** The arguments the guards look at (the TARGET of `dump` and `epoch`). */
      readonly args: Record<string, unknown>
      readonly options: GlobalOptions
      run(ctx: CommandContext): Promise<void>
    }

/**
 * Parses a command line in compat mode. Quiet, no colour, no confirmation: Materialize's tool
 * prints nothing but its output and its error line. Throws {@link CompatArgumentError} where clap
 * would refuse the command line.
 */
export async function parseCompat(argv: readonly string[], env: CliIo['env']): Promise<CompatRun> {
  const parsed = await parseCompatArguments(argv, env)
  const command = parsed.command
  if (command === undefined) return { command: undefined, output: parsed.output }
  return {
    command,
    declaration: DECLARATIONS[command.name],
    args: 'target' in command ? { target: command.target } : {},
    options: {
      store: resolveCompatStore(parsed.globals),
      organizationId: compatOrganizationId(parsed.globals.organizationId),
      quiet: true,
      verbose: false,
      color: false,
      retryTimeoutMs: DEFAULT_RETRY_TIMEOUT_MS,
      busyTimeoutMs: undefined,
    },
    run: (ctx) => COMMANDS[command.name](ctx, command as never),
  }
}

/** Reports a failed compat run in Materialize's shape; returns the exit code (1, or 2 for a bad command line). */
export function reportCompatError(out: Output, err: unknown): number {
  if (err instanceof CompatArgumentError) {
    // clap's shape: `error: …`, a pointer to --help, exit 2.
    out.errorText(`error: ${oneLine(err.message)}\n\nFor more information, try '--help'.\n`)
    return 2
  }
  // Materialize: eprintln!("catalog-debug: fatal: {}\nbacktrace: {}", …), exit 1. Its error
  // carries no backtrace unless RUST_BACKTRACE is set, which prints as "disabled backtrace".
  out.errorText(`catalog-debug: fatal: ${fatalMessage(err)}\nbacktrace: disabled backtrace\n`)
  return 1
}

/**
 * The store a compat command line names. `--store persist` (or no `--store`) takes the location
 * from `--persist-consensus-url`; Materialize's other catalog kinds are refused; any other
 * `--store` value is a location, as in the usual mode. `--persist-blob-url` is ignored.
 */
export function resolveCompatStore(g: CompatGlobals): string {
  const kind = g.store
  if (kind === 'stash' || kind === 'emergency-stash' || kind === 'shadow') {
    throw new CatalogDebugError(
      'unsupported-catalog-kind',
      'usage',
      `the ${kind} catalog is not supported: this tool keeps the catalog in a persist-like shard store; use --store persist with --persist-consensus-url`,
    )
  }
  const consensus = g.persistConsensusUrl === undefined ? undefined : fileLocation(g.persistConsensusUrl)
  if (kind !== undefined && kind !== 'persist') {
    if (consensus !== undefined && consensus !== kind) {
      throw new CompatArgumentError('--store and --persist-consensus-url name different stores; give one of them')
    }
    return kind
  }
  const location = consensus ?? (kind === undefined ? g.storeFromEnvironment : undefined)
  if (location === undefined) {
    throw new CompatArgumentError(
      'the following required arguments were not provided: --persist-consensus-url <PERSIST_CONSENSUS_URL> (the store to open)',
    )
  }
  return location
}

/** `--organization-id` is a `Uuid` to clap: one that does not parse is a usage error (exit 2). */
function compatOrganizationId(given: string | undefined): string | undefined {
  if (given === undefined) return undefined
  try {
    return parseOrganizationId(given)
  } catch (err) {
    throw new CompatArgumentError(`invalid value '${given}' for '--organization-id <ORGANIZATION_ID>': ${(err as Error).message}`)
  }
}

/** A `file://` URL as a path (persist's file consensus URLs); anything else as given. */
function fileLocation(url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url) : url
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim()
}

/**
 * The text after `fatal:`. Where Materialize's error says the same thing in other words, its words:
 * a catalog that was never written is `uninitialized`.
 */
function fatalMessage(err: unknown): string {
  if (err instanceof UninitializedError) return 'uninitialized'
  // Persist creates empty state on first use, so Materialize sees a catalog that was never
  // written where this tool (which creates stores only in `init`) finds no store at all.
  if (err instanceof CatalogDebugError && err.code === 'store-not-found') return 'uninitialized'
  if (err instanceof CatalogDebugError && err.code === 'catalog-not-found' && / for organization /.test(err.message)) return 'uninitialized'
  return oneLine(err instanceof Error ? err.message : String(err))
}

/** `CollectionType`'s variants in declaration order, as serde names them in its errors. */
const COLLECTION_TYPE_ORDER = [
  'audit_log',
  'compute_instance',
  'compute_introspection_source_index',
  'compute_replicas',
  'comments',
  'config',
  'database',
  'default_privileges',
  'id_alloc',
  'item',
  'role',
  'schema',
  'setting',
  'storage_usage',
  'system_configuration',
  'system_gid_mapping',
  'system_privileges',
  'timestamp',
] as const satisfies readonly CollectionName[]

/** `collection.parse::<CollectionType>()`, with serde's message for an unknown name. */
function unknownCollection(name: string): string {
  return `unknown variant \`${name}\`, expected one of ${COLLECTION_TYPE_ORDER.map((c) => `\`${c}\``).join(', ')}`
}

function parseCollection(name: string): CollectionName {
  if (isCollectionName(name)) return name
  throw new CatalogDebugError('unknown-collection', 'usage', unknownCollection(name))
}

/** clap parses KEY and VALUE as `serde_json::Value`: bad JSON is a usage error. */
function checkJson(what: string, text: string): void {
  try {
    parseJson(text)
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new CompatArgumentError(`invalid value '${text}' for '<${what}>': ${err.message}`)
    throw err
  }
}

type Runner<C> = (ctx: CommandContext, command: C) => Promise<void>
type Runners = { readonly [N in CompatCommand['name']]: Runner<Extract<CompatCommand, { name: N }>> }

const COMMANDS: Runners = {
  dump: async (ctx, c) => {
    const ignored = new Set<string>()
    for (const name of c.ignore) {
      if (!isCollectionName(name))
        throw new CompatArgumentError(`invalid value '${name}' for '--ignore <IGNORE>': ${unknownCollection(name)}`)
      ignored.add(name)
    }
    // BTreeMap<String, _>: by name.
    const collections = [...COLLECTION_NAMES].sort().filter((n) => !ignored.has(n) && !(c.ignoreLargeCollections && isLargeCollection(n)))
    await writeTarget(ctx, c.target, 'dumping the catalog', (sink) =>
      withOrganization(ctx, 'read', async (store, org) => {
        // One read point for every collection, as Materialize's trace is one persist snapshot.
        const upper = await store.fetchRecentUpper(catalogShardIds(org).catalog)
        if (upper === null || upper === 0n) throw new UninitializedError()
        const unopened = await openUnopenedCatalog(store, org, { asOf: upper - 1n })
        if (!(await unopened.isInitialized())) throw new UninitializedError()
        if (collections.length === 0) return sink.write(COMPAT_DUMP_EMPTY)
        await sink.write(COMPAT_DUMP_OPEN)
        for (const collection of collections) await sink.write(compatDumpCollection(collection, await dumpEntries(unopened, collection)))
        await sink.write(COMPAT_DUMP_CLOSE)
      }),
    )
  },

  epoch: async (ctx, c) => {
    const epoch = await ctx.retrying('reading the epoch', () =>
      withOrganization(ctx, 'read', async (store, org) => (await openUnopenedCatalog(store, org)).epoch()),
    )
    const sink = openSink(ctx, c.target)
    await sink.write(`Epoch: ${epoch}\n`)
    await sink.commit()
  },

  edit: async (ctx, c) => {
    const collection = parseCollection(c.collection)
    checkJson('KEY', c.key)
    checkJson('VALUE', c.value)
    refuseFixtureStore(ctx)
    const session = new DebugWriteSession()
    const result = await ctx.retrying(`editing ${collection}`, () =>
      withOrganization(ctx, 'write', async (store, org) =>
        (await (await openUnopenedCatalog(store, org)).openDebug()).edit(collection, c.key, c.value, { dryRun: false, session }),
      ),
    )
    await ctx.out.data(`previous value: ${serdeValueDebug(result.previous)}\n`)
  },

  delete: async (ctx, c) => {
    const collection = parseCollection(c.collection)
    checkJson('KEY', c.key)
    refuseFixtureStore(ctx)
    const session = new DebugWriteSession()
    await ctx.retrying(`deleting from ${collection}`, () =>
      withOrganization(ctx, 'write', async (store, org) =>
        (await (await openUnopenedCatalog(store, org)).openDebug()).delete(collection, c.key, { dryRun: false, session }),
      ),
    )
  },

  'upgrade-check': async (ctx, c) => {
    // Materialize's clock starts before the store is opened.
    const startedAt = Date.now()
    let replicaSizes: JsonValue | undefined
    if (c.clusterReplicaSizes !== undefined) {
      try {
        replicaSizes = parseJson(c.clusterReplicaSizes)
      } catch (err) {
        throw new CatalogDebugError('invalid-replica-sizes', 'usage', `parsing replica size map: ${(err as Error).message}`, { cause: err })
      }
      if (!isJsonObject(replicaSizes))
        throw new CatalogDebugError('invalid-replica-sizes', 'usage', 'parsing replica size map: expected a JSON object')
    }
    const report = await ctx
      .retrying('checking the upgrade', () =>
        withOrganization(ctx, 'read', async (store, org) =>
          upgradeCheck(await openUnopenedCatalog(store, org), replicaSizes === undefined ? { startedAt } : { replicaSizes, startedAt }),
        ),
      )
      .catch((err: unknown) => {
        // A catalog that was never written is what a savepoint open refuses, in Materialize's words.
        if (fatalMessage(err) === 'uninitialized' && !(err instanceof UninitializedError)) {
          throw new CatalogDebugError('uninitialized', 'not-found', 'catalog tables do not exist; will not create in Savepoint mode', {
            cause: err,
          })
        }
        throw err
      })
    if (!report.ok) {
      const more = report.errors.length > 1 ? ` (and ${report.errors.length - 1} more problem${report.errors.length === 2 ? '' : 's'})` : ''
      throw new CatalogDebugError('upgrade-check-failed', 'upgrade', `${report.errors[0]}${more}`)
    }
    await ctx.out.data(`${upgradeSuccessLine(report)}\n`)
  },
}

/**
 * One collection's updates as Materialize's trace lists them: unconsolidated, every update at the
 * read point (a persist snapshot), ordered by key then value (the proto types' `Ord`, the order
 * Materialize's snapshot of a fresh catalog shows). A row that does not decode stops the dump, as
 * it stops Materialize's ("kind decoding error").
 */
async function dumpEntries(unopened: UnopenedCatalog, collection: CollectionName): Promise<CompatDumpEntry[]> {
  const found = await unopened.userVersion()
  const own = found !== null && isSupportedCatalogVersion(Number(found)) ? Number(found) : CATALOG_VERSION
  const entries: CompatDumpEntry[] = []
  for await (const e of unopened.trace(collection, { consolidated: false, atReadPoint: true })) {
    if (e.type === 'undecodable') {
      throw new CatalogDebugError(
        'invalid-catalog-data',
        'failure',
        `kind decoding error: a ${collection} row does not decode: ${e.reason}`,
      )
    }
    const schemas = kindsForVersion(e.decodedWith ?? own).collection(collection)
    entries.push({ keySchema: schemas.key, valueSchema: schemas.value, key: e.key, value: e.value, ts: e.ts, diff: e.diff })
  }
  const { key, value } = kindsForVersion(own).collection(collection)
  return entries.sort(
    (a, b) =>
      key.compare(a.key as JsonObject, b.key as JsonObject) ||
      value.compare(a.value, b.value) ||
      (a.diff < b.diff ? -1 : a.diff > b.diff ? 1 : 0),
  )
}
