/** argv → (command, options): parsing only, no store is ever opened. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseCommandLine } from '../src/cli/parser.js'
import { STDIN_ARG, resolveGlobalOptions, prescanOutputFlags, envName, type RawGlobalArgs } from '../src/cli/options.js'
import { UsageError } from '../src/errors.js'

async function usageError(argv: string[], pattern: RegExp, env: Record<string, string> = {}): Promise<void> {
  await assert.rejects(parseCommandLine(argv, env), (err: unknown) => {
    assert.ok(err instanceof UsageError, `expected a UsageError, got ${String(err)}`)
    assert.match(`${err.message}${err.hint === undefined ? '' : `\nhint: ${err.hint}`}`, pattern)
    return true
  })
}

test('global options and a command', async () => {
  const { command, args } = await parseCommandLine(['--store', 'c.db', 'epoch', '-o', 'json'])
  assert.equal(command, 'epoch')
  assert.equal(args.store, 'c.db')
  assert.equal(args.output, 'json')
  assert.equal(args.target, undefined)
})

test('global options may follow the command', async () => {
  const { args } = await parseCommandLine(['dump', '--store', 'c.db', '-q', '--organization-id', '00000000-0000-0000-0000-000000000001'])
  assert.equal(args.store, 'c.db')
  assert.equal(args.quiet, true)
  assert.equal(args.organizationId, '00000000-0000-0000-0000-000000000001')
})

test('environment variables fill options; a flag beats the environment', async () => {
  const env = { CATALOG_DEBUG_STORE: 'env.db', CATALOG_DEBUG_OUTPUT: 'ndjson', CATALOG_DEBUG_ORGANIZATION_ID: 'ABC' }
  let r = await parseCommandLine(['epoch'], env)
  assert.equal(r.args.store, 'env.db')
  assert.equal(r.args.output, 'ndjson')
  assert.equal(r.args.o, 'ndjson')
  assert.equal(r.args.organizationId, 'ABC')
  r = await parseCommandLine(['epoch', '--store', 'flag.db', '-o', 'text'], env)
  assert.equal(r.args.store, 'flag.db')
  assert.equal(r.args.output, 'text')
})

test('command options come from the environment too', async () => {
  const r = await parseCommandLine(['dump'], {
    CATALOG_DEBUG_IGNORE: 'audit_log, config',
    CATALOG_DEBUG_STATS_ONLY: '1',
    CATALOG_DEBUG_CONSOLIDATE: 'false',
  })
  assert.deepEqual(r.args.ignore, ['audit_log', 'config'])
  assert.equal(r.args.statsOnly, true)
  assert.equal(r.args.consolidate, false)
  // --yes, --force and --dry-run are taken only from the command line (main refuses their variables).
  const e = await parseCommandLine(['edit', 'config', '{}', '{}'], { CATALOG_DEBUG_YES: 'true', CATALOG_DEBUG_DRY_RUN: '0' })
  assert.equal(e.args.yes, undefined)
  assert.equal(e.args.dryRun, undefined)
})

test('invalid environment values are usage errors', async () => {
  await usageError(['epoch'], /Invalid values:[\s\S]*Given: "xml"/, { CATALOG_DEBUG_OUTPUT: 'xml' })
  await usageError(['edit', 'config', '{}', '{}'], /CATALOG_DEBUG_QUIET must be a boolean/, { CATALOG_DEBUG_QUIET: 'maybe' })
})

test('dump flags', async () => {
  const { args } = await parseCommandLine([
    'dump',
    '--ignore-large-collections',
    '-i',
    'config',
    '--ignore',
    'role',
    '--stats-only',
    '-c',
    '--strict',
    'out.txt',
  ])
  assert.equal(args.ignoreLargeCollections, true)
  assert.deepEqual(args.ignore, ['config', 'role'])
  assert.equal(args.statsOnly, true)
  assert.equal(args.consolidate, true)
  assert.equal(args.strict, true)
  assert.equal(args.target, 'out.txt')
})

test('edit keeps JSON positionals as typed and marks a lone - as stdin', async () => {
  const { args } = await parseCommandLine(['edit', 'item', '{"id":{"User":-1}}', '-', '--dry-run', '-y'])
  assert.equal(args.collection, 'item')
  assert.equal(args.key, '{"id":{"User":-1}}')
  assert.equal(args.value, STDIN_ARG)
  assert.equal(args.dryRun, true)
  assert.equal(args.yes, true)
  const n = await parseCommandLine(['edit', 'config', '1e3', '007'])
  assert.equal(n.args.key, '1e3')
  assert.equal(n.args.value, '007')
})

test('usage errors', async () => {
  await usageError([], /a command is required/)
  await usageError(['bogus'], /^unknown command "bogus"\nhint: see --help for the commands$/)
  await usageError(['epcoh'], /unknown command "epcoh"\nhint: did you mean epoch\?/)
  await usageError(['dump', '--consolidat'], /Unknown argument: consolidat\nhint: --consolidat: did you mean --consolidate\?/)
  await usageError(['edit', 'config'], /Not enough non-option arguments: got 1, need at least 3/)
  await usageError(['edit', 'config', 'k', 'v', 'extra'], /Unknown argument: extra/)
  await usageError(['epoch', '--bogus'], /Unknown argument: bogus/)
  await usageError(['epoch', '-o', 'xml'], /Choices: "text", "json", "ndjson"/)
  await usageError(['epoch', '--store'], /Not enough arguments following: store/)
  await usageError(['edit', 'c', 'k', '--', '-x'], /Not enough non-option arguments/)
})

test('help, version and completion candidates are returned, not printed', async () => {
  const help = await parseCommandLine(['--help'])
  assert.equal(help.command, undefined)
  assert.match(help.output, /Commands:[\s\S]*catalog-debug dump \[target\]/)
  assert.match(help.output, /upgrade-check/)
  const editHelp = await parseCommandLine(['edit', '--help'])
  assert.match(editHelp.output, /--dry-run/)
  assert.match(editHelp.output, /Examples:/)
  const version = await parseCommandLine(['--version'])
  assert.match(version.output, /^v\d+\.\d+\.\d+ \([0-9a-f]{9}\)$/)
  assert.equal((await parseCommandLine(['-V'])).output, version.output)
  const words = await parseCommandLine(['__complete', 'ep'])
  assert.match(words.output, /epoch/)
  const collections = await parseCommandLine(['__complete', 'edit', 'comp'])
  assert.deepEqual(collections.output.split('\n'), ['compute_instance', 'compute_introspection_source_index', 'compute_replicas'])
  const ignore = await parseCommandLine(['__complete', 'dump', '-i', 'sys'])
  assert.deepEqual(ignore.output.split('\n'), ['system_configuration', 'system_gid_mapping', 'system_privileges'])
})

test('resolved global options: defaults, durations, organization id', () => {
  const base: RawGlobalArgs = {}
  const d = resolveGlobalOptions(base)
  assert.equal(d.retryTimeoutMs, 30_000)
  assert.equal(d.busyTimeoutMs, undefined)
  assert.equal(d.quiet, false)
  const r = resolveGlobalOptions({ retryTimeout: '2s', busyTimeout: '250ms', organizationId: 'AAAAAAAA-0000-0000-0000-00000000000F' })
  assert.equal(r.retryTimeoutMs, 2000)
  assert.equal(r.busyTimeoutMs, 250)
  assert.equal(r.organizationId, 'aaaaaaaa-0000-0000-0000-00000000000f')
  assert.throws(() => resolveGlobalOptions({ retryTimeout: 'soon' }), /invalid --retry-timeout "soon"/)
  assert.throws(() => resolveGlobalOptions({ organizationId: 'org-1' }), UsageError)
})

test('output flags are known before parsing', () => {
  assert.deepEqual(prescanOutputFlags(['dump', '--no-color', '-qv'], {}), { quiet: true, verbose: true, color: false })
  assert.deepEqual(prescanOutputFlags(['dump', '--', '--color'], { CATALOG_DEBUG_COLOR: '1' }), {
    quiet: false,
    verbose: false,
    color: true,
  })
  assert.equal(envName('organization-id'), 'CATALOG_DEBUG_ORGANIZATION_ID')
})
