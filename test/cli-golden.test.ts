/**
 * Golden output of every command on the fixed catalog (text and JSON, colour off), run in
 * process. Each golden file holds the command line, the exit code, stdout and stderr, normalised
 * (temp paths → <DIR>, durations → <N>, facts of the test machine → placeholders). `UPDATE_GOLDEN=1` rewrites them.
 */
import { after, before, describe, test } from 'node:test'
import { assertGolden, normalize, repoRoot } from './helpers/cli-golden.js'
import { createFixtureCatalog, FIXTURE_ORG, tempDir, type FixtureDir } from './helpers/cli-fixture.js'
import { runCli, type RunOptions } from './helpers/cli-run.js'

async function golden(name: string, fx: FixtureDir, argv: string[], opts: RunOptions = {}): Promise<void> {
  const r = await runCli(argv, { cwd: fx.dir, ...opts })
  const text = `$ catalog-debug ${argv.join(' ')}\n` + `exit ${r.code}\n` + `--- stdout\n${r.stdout}` + `--- stderr\n${r.stderr}`
  assertGolden(name, normalize(text, { replace: [[fx.dir, '<DIR>']] }))
}

describe('read commands', () => {
  let fx: FixtureDir
  before(async () => {
    fx = tempDir()
    await createFixtureCatalog(fx.store)
  })
  after(() => fx.cleanup())
  const S = () => ['--store', fx.store]

  test('dump', () => golden('dump.txt', fx, ['dump', ...S()]))
  test('dump -o json', () => golden('dump.json.txt', fx, ['dump', ...S(), '-o', 'json']))
  test('dump -o ndjson', () => golden('dump.ndjson.txt', fx, ['dump', ...S(), '-o', 'ndjson']))
  test('dump --stats-only', () => golden('dump-stats-only.txt', fx, ['dump', ...S(), '--stats-only']))
  test('dump -c --ignore-large-collections -i role', () =>
    golden('dump-consolidated.txt', fx, ['dump', ...S(), '-c', '--ignore-large-collections', '-i', 'role', '-i', 'schema']))
  test('epoch', () => golden('epoch.txt', fx, ['epoch', ...S()]))
  test('epoch -o json', () => golden('epoch.json.txt', fx, ['epoch', ...S(), '-o', 'json']))
  test('upgrade-check', () => golden('upgrade-check.txt', fx, ['upgrade-check', ...S()]))
  test('upgrade-check -o json', () => golden('upgrade-check.json.txt', fx, ['upgrade-check', ...S(), '{"1":{"workers":1}}', '-o', 'json']))
  test('inspect', () => golden('inspect.txt', fx, ['inspect', ...S()]))
  test('inspect -o json', () => golden('inspect.json.txt', fx, ['inspect', ...S(), '-o', 'json']))
  test('edit --dry-run', () =>
    golden('edit-dry-run.txt', fx, ['edit', ...S(), 'config', '{"key":"deploy_generation"}', '{"value":5}', '--dry-run']))
  test('delete --dry-run -o json', () =>
    golden('delete-dry-run.json.txt', fx, ['delete', ...S(), 'config', '{"key":"deploy_generation"}', '--dry-run', '-o', 'json']))
  test('usage error', () => golden('error-usage.txt', fx, ['dump', ...S(), '-i', 'nope']))
  test('store not found', () => golden('error-not-found.txt', fx, ['epoch', '--store', 'missing.db']))
})

describe('write commands (a fresh catalog each)', () => {
  let fx: FixtureDir
  before(() => {
    fx = tempDir()
  })
  after(() => fx.cleanup())

  test('edit', async () => {
    await createFixtureCatalog(`${fx.dir}/edit.db`)
    await golden('edit.txt', fx, ['edit', '--store', `${fx.dir}/edit.db`, 'config', '{"key":"deploy_generation"}', '{"value":5}', '--yes'])
  })
  test('edit -o json', async () => {
    await createFixtureCatalog(`${fx.dir}/edit-json.db`)
    await golden('edit.json.txt', fx, [
      'edit',
      '--store',
      `${fx.dir}/edit-json.db`,
      'id_alloc',
      '{"name":"user"}',
      '{"next_id":18446744073709551615}',
      '-y',
      '-o',
      'json',
    ])
  })
  test('edit refused without a terminal', async () => {
    await createFixtureCatalog(`${fx.dir}/refused.db`)
    await golden('edit-refused.txt', fx, [
      'edit',
      '--store',
      `${fx.dir}/refused.db`,
      'config',
      '{"key":"deploy_generation"}',
      '{"value":5}',
    ])
  })
  test('delete', async () => {
    await createFixtureCatalog(`${fx.dir}/delete.db`)
    await golden('delete.txt', fx, ['delete', '--store', `${fx.dir}/delete.db`, 'config', '{"key":"deploy_generation"}', '--yes'])
  })
  test('delete -o json', async () => {
    await createFixtureCatalog(`${fx.dir}/delete-json.db`)
    await golden('delete.json.txt', fx, [
      'delete',
      '--store',
      `${fx.dir}/delete-json.db`,
      'compute_replicas',
      '{"id":{"value":{"User":1}}}',
      '--yes',
      '-o',
      'json',
    ])
  })
  test('delete of an absent key', async () => {
    await createFixtureCatalog(`${fx.dir}/delete-absent.db`)
    await golden('delete-not-found.txt', fx, ['delete', '--store', `${fx.dir}/delete-absent.db`, 'setting', '{"name":"nope"}', '--yes'])
  })
  test('init', () => golden('init.txt', fx, ['init', '--store', `${fx.dir}/init.db`, '--organization-id', FIXTURE_ORG]))
  test('init -o json', () =>
    golden('init.json.txt', fx, [
      'init',
      '--store',
      `${fx.dir}/init-json.db`,
      '--organization-id',
      FIXTURE_ORG,
      '--replica-size',
      '2',
      '--deploy-generation',
      '3',
      '-o',
      'json',
    ]))
})

describe('snapshot and regression commands (shipped fixtures, paths relative to the repository)', () => {
  let fx: FixtureDir
  before(() => {
    fx = tempDir()
  })
  after(() => fx.cleanup())
  const R = { cwd: repoRoot() }
  const DEMO = ['--store', 'fixtures/demo-v47.ndjson']
  const DG = '{"key":"deploy_generation"}'
  const V46 = 'fixtures/demo-v46.ndjson'
  const V46_UP = 'fixtures/golden/upgrade/demo-v46-upgraded.ndjson'

  test('verify', () => golden('verify.txt', fx, [...DEMO, 'verify'], R))
  test('verify -o json', () => golden('verify.json.txt', fx, ['--store', 'fixtures/fresh-v47.ndjson', 'verify', '-o', 'json'], R))
  test('verify with findings', async () => {
    await createFixtureCatalog(`${fx.dir}/broken.db`)
    const del = await runCli(['delete', '--store', `${fx.dir}/broken.db`, 'database', '{"id":{"value":{"User":1}}}', '--yes'])
    if (del.code !== 0) throw new Error(del.stderr)
    await golden('verify-findings.txt', fx, ['verify', '--store', `${fx.dir}/broken.db`])
  })
  test('history', () => golden('history.txt', fx, [...DEMO, 'history', 'config', DG], R))
  test('history -o json', () => golden('history.json.txt', fx, [...DEMO, 'history', 'config', DG, '-o', 'json'], R))
  test('diff', () => golden('diff.txt', fx, ['diff', V46, V46_UP], R))
  test('diff -o json', () => golden('diff.json.txt', fx, ['diff', V46, V46_UP, '-o', 'json'], R))
  test('diff -o jsonpatch', () => golden('diff-jsonpatch.txt', fx, ['diff', V46, V46_UP, '-o', 'jsonpatch'], R))
  test('export --consolidated', () =>
    golden('export-consolidated.txt', fx, ['--store', 'fixtures/fresh-v47.ndjson', 'export', '--consolidated'], R))
  test('upgrade --dry-run (on a fixture)', () =>
    golden('upgrade-dry-run.txt', fx, ['--store', 'fixtures/demo-v45.ndjson', 'upgrade', '--dry-run'], R))
  test('import', () => golden('import.txt', fx, ['--store', `${fx.dir}/imported.db`, 'import', 'fixtures/demo-v46.ndjson'], R))
  test('upgrade -o json', () => golden('upgrade.json.txt', fx, ['--store', `${fx.dir}/imported.db`, 'upgrade', '--yes', '-o', 'json'], R))
  test('copy', () => golden('copy.txt', fx, ['copy', '--from', 'fixtures/fresh-v47.ndjson', '--to', `${fx.dir}/copy.db`], R))
  test('a write command on a fixture', () =>
    golden('error-fixture-read-only.txt', fx, [...DEMO, 'edit', 'config', DG, '{"value":2}', '--yes'], R))
})

describe('help and completion', () => {
  const fx = { dir: '/nonexistent-dir-for-help', store: '', cleanup: () => undefined }
  test('--help', () => golden('help.txt', fx, ['--help']))
  test('edit --help', () => golden('edit-help.txt', fx, ['edit', '--help']))
  test('diff --help', () => golden('diff-help.txt', fx, ['diff', '--help']))
  test('completion (bash)', async () => {
    // yargs picks zsh from the real $SHELL; pin it so the golden does not depend on the machine.
    const shell = process.env.SHELL
    process.env.SHELL = '/bin/bash'
    try {
      await golden('completion.txt', fx, ['completion'])
    } finally {
      if (shell === undefined) delete process.env.SHELL
      else process.env.SHELL = shell
    }
  })
})
