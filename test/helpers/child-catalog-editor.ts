/**
 * Child process that edits a catalog as fast as it can until it receives a message, as a racing
 * `edit` would (argv = [store path]): every edit retracts and inserts a setting and bumps the
 * epoch in one compare-and-append, moving the shard's upper and since. Sends `ready` after its
 * first edit; on the stop message sends `{edits}` and exits.
 */
import { openUnopenedCatalog } from '../../src/catalog/unopened-catalog.js'
import { rowLookup } from '../../src/catalog/codec/row-lookup.js'
import { listCatalogs } from '../../src/catalog/catalog-shards.js'
import { openStore } from '../../src/store/open-store.js'

const [location] = process.argv.slice(2)
if (location === undefined || process.send === undefined) throw new Error('usage: fork(child-catalog-editor.js, [store]) with IPC')
const store = await openStore(location, { busyTimeoutMs: 30_000, lookup: rowLookup })
const org = (await listCatalogs(store))[0]!.organizationId
let stop = false
process.once('message', () => {
  stop = true
})
let edits = 0
while (!stop) {
  try {
    const debug = await (await openUnopenedCatalog(store, org)).openDebug()
    await debug.edit('setting', '{"name":"racing"}', `{"value":"v${edits}"}`, { dryRun: false })
    edits++
    if (edits === 1) process.send('ready')
  } catch {
    // A lost race with the reader's own retries is fine; the loop goes on.
  }
  await new Promise((r) => setImmediate(r))
}
process.send({ edits }, () => process.exit(0))
