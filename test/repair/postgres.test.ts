/**
 * Repair on a PostgreSQL store: the demo catalog imported into a throwaway server, damaged, then
 * planned, applied in one write, and verified clean.
 */

import { strict as assert } from 'node:assert'
import { it } from 'node:test'
import { describePostgres } from '../helpers/postgres-server.js'
import { runCli } from '../helpers/cli-run.js'
import { DAMAGE, importDemo, openTestStore } from './corpus.js'

describePostgres('repair on PostgreSQL', (server) => {
  it('plans, applies in one write, and leaves verify clean', async () => {
    const url = server().createDatabase('repair')
    await importDemo(url)
    const store = await openTestStore(url)
    await DAMAGE.allocatorBehind(store)
    await DAMAGE.nonCanonical(store)
    await DAMAGE.duplicateName(store)
    await store.close()
    assert.equal((await runCli(['--store', url, 'verify'])).code, 1)
    const r = await runCli(['--store', url, 'repair', '--rename-suffix', '_dup', '--yes', '-o', 'json'])
    assert.equal(r.code, 0, r.stderr)
    const plan = JSON.parse(r.stdout) as { repairs: { action: string }[] }
    assert.deepEqual(
      plan.repairs.map((x) => x.action),
      ['re-encode', 'raise-id-allocator', 'raise-id-allocator', 'rename', 'bump-epoch'],
    )
    assert.match(r.stderr, /repair applied: \d+ updates in one write/)
    const v = await runCli(['--store', url, 'verify'])
    assert.equal(v.code, 0, v.stdout)
  })
})
