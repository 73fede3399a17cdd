/**
 * Runs the whole benchmark harness at a tiny size (1k and 2k updates, one repetition, short
 * throughput runs, no PostgreSQL) into temporary files, so it cannot rot. Checks the shape of the
 * results and that every figure is a finite positive ratio; never the timings or the targets.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateCatalog } from '../bench/generate.js'
import { runBenchmarks } from '../bench/harness.js'
import { checkResultsShape } from '../bench/results.js'
import { decodeRow } from '../src/catalog/codec/row-codec.js'
import { runCli } from './helpers/cli-run.js'
import { makeTempDir } from './helpers/tmp.js'

test('the benchmark harness runs end to end at a tiny size', { timeout: 300_000 }, async () => {
  const tmp = makeTempDir('catalog-debug-bench-smoke-')
  try {
    const resultsPath = join(tmp.dir, 'results.json')
    const docsPath = join(tmp.dir, 'performance.md')
    const opts = {
      sizes: [1000, 2000],
      reps: 1,
      seed: 7,
      dataDir: join(tmp.dir, 'data'),
      workDir: join(tmp.dir, 'work'),
      writers: [1, 2],
      pgWriters: [],
      caaSeconds: 0.5,
      fixtures: true,
      warmup: false,
      resultsPath,
      docsPath,
      log: () => {},
    }
    await runBenchmarks(opts)
    const results = JSON.parse(readFileSync(resultsPath, 'utf8')) as unknown
    assert.deepEqual(checkResultsShape(results), [])
    const ids = (results as { figures: { id: string }[] }).figures.map((f) => f.id)
    for (const id of [
      'dump-stats-v47@2000',
      'dump-ndjson-v47@2000',
      'export-v47@2000',
      'import-v47@2000',
      'history-text-v47@2000',
      'history-json-v47@2000',
      'epoch@2000-vs-1000',
      'edit@2000-vs-1000',
      'delete@2000-vs-1000',
      'upgrade-check-v42@2000',
      'startup-help',
      'startup-epoch',
      'caa-sqlite-1w',
      'caa-sqlite-2w',
    ]) {
      assert.ok(ids.includes(id), `figure ${id} is missing (have: ${ids.join(', ')})`)
    }
    const page = readFileSync(docsPath, 'utf8')
    assert.match(page, /^# Performance/)
    assert.match(page, /\| dump -o ndjson[^|\n]* \| deployment \| 2k \|/)
    // Rewriting the page replaces the results section and keeps what is around it; figures of
    // another run's results file are kept beside this run's.
    writeFileSync(docsPath, `# Performance\n\nHand-written.\n\n${page.slice(page.indexOf('<!-- results:begin'))}\n## After\n`)
    await runBenchmarks({ ...opts, groups: ['history'], resultsPath: join(tmp.dir, 'again.json'), mergeFrom: [resultsPath] })
    const again = readFileSync(docsPath, 'utf8')
    assert.match(again, /Hand-written\.[\s\S]*\| history \(text\)[^|\n]* \| deployment \| 2k \|[\s\S]*results:end -->\n\n## After\n$/)
    assert.match(again, /Figures come from 2 runs/)
    assert.equal(again.match(/\| dump -o ndjson/g)?.length, 1)
  } finally {
    tmp.cleanup()
  }
})

test('the generator is deterministic, its rows decode, and its catalogs verify', async () => {
  const tmp = makeTempDir('catalog-debug-gen-smoke-')
  try {
    const a = await generateCatalog({ size: 1500, seed: 3, dataDir: join(tmp.dir, 'a') })
    const b = await generateCatalog({ size: 1500, seed: 3, dataDir: join(tmp.dir, 'b') })
    assert.equal(readFileSync(a.fixturePath!, 'utf8'), readFileSync(b.fixturePath!, 'utf8'))
    assert.ok(a.updates >= 1500)
    const again = await generateCatalog({ size: 1500, seed: 3, dataDir: join(tmp.dir, 'a') })
    assert.equal(again.cached, true)
    const lines = readFileSync(a.fixturePath!, 'utf8').trimEnd().split('\n')
    assert.equal(lines.length - 1, a.updates)
    for (const version of ['v47', 'v42'] as const) {
      const ds = await generateCatalog({ size: 1500, seed: 3, variant: version, dataDir: join(tmp.dir, 'c') })
      const rows = readFileSync(ds.fixturePath!, 'utf8').trimEnd().split('\n').slice(1)
      for (const line of rows) {
        const data = line.slice(line.indexOf('"data":') + 7, -1)
        const r = decodeRow(data, version === 'v42' ? 42 : 47, { strict: true })
        assert.ok(r.ok, `${version}: ${data} does not decode: ${r.ok ? '' : r.reason}`)
      }
      // The catalog core finds it consistent, and the store and the fixture hold the same catalog.
      const verify = await runCli(['--store', ds.storePath, 'verify'])
      assert.equal(verify.code, 0, verify.stdout + verify.stderr)
      const fromStore = await runCli(['--store', ds.storePath, 'dump', '-o', 'ndjson'])
      const fromFixture = await runCli(['--store', ds.fixturePath!, 'dump', '-o', 'ndjson'])
      assert.equal(fromStore.code, 0, fromStore.stderr)
      // Same entries (the order within a timestamp may differ between the two sources).
      const lines = (t: string): string[] => t.trimEnd().split('\n').sort()
      assert.deepEqual(lines(fromFixture.stdout), lines(fromStore.stdout))
    }
  } finally {
    tmp.cleanup()
  }
})
