/**
 * Issue 12, item 7: an `init`, `import` or `copy` whose PostgreSQL append committed just before
 * its connection dropped is recognised as done on its retry (the append carries an idempotency
 * token, as `edit`'s does): exit 0 and the catalog complete, not "nothing written" (exit 4).
 * Real processes against a real server, through a proxy that drops the connection right after the
 * server has answered the COMMIT of the transaction that wrote the catalog's contents.
 */
import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { startCommitCutProxy } from '../helpers/commit-cut-proxy.js'
import { describePostgres } from '../helpers/postgres-server.js'
import { makeTempDir } from '../helpers/tmp.js'
import { cli, initStore, ORG } from '../trust/trust-kit.js'

/** Text only the catalog's contents hold (the default cluster's name), not the epoch fence. */
const CONTENTS_MARKER = 'quickstart'

describePostgres('a creating append that committed just before its connection dropped', (server) => {
  const tmp = makeTempDir('catalog-debug-cut-')
  const source = tmp.path('source.db')
  const fixture = tmp.path('source.ndjson')
  before(async () => {
    await initStore(source)
    const r = await cli(['--store', source, 'export', fixture])
    assert.equal(r.code, 0, r.stderr)
  })
  after(() => tmp.cleanup())

  /** Runs `args` against a new database through the proxy; the catalog must then be complete. */
  async function cutOnce(args: (store: string) => string[]): Promise<string> {
    const url = server().createDatabase('cut')
    const proxy = await startCommitCutProxy(server().port, CONTENTS_MARKER)
    try {
      const r = await cli(args(proxy.via(url)))
      assert.equal(proxy.cuts, 1, 'the COMMIT reply was dropped once')
      assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`)
      const verify = await cli(['--store', url, 'verify'])
      assert.equal(verify.code, 0, verify.stdout + verify.stderr)
      return r.stdout
    } finally {
      await proxy.close()
    }
  }

  it('init', async () => {
    await cutOnce((store) => ['--store', store, '--organization-id', ORG, 'init'])
  })

  it('import', async () => {
    const out = await cutOnce((store) => ['--store', store, 'import', fixture])
    // Reported as the updates the lost-reply attempt wrote, not as nothing.
    const written = /(\d+) updates? into/.exec(out)
    assert.ok(written !== null && Number(written[1]) > 0, out)
  })

  it('copy --to', async () => {
    await cutOnce((store) => ['copy', '--from', source, '--to', store])
  })
})
