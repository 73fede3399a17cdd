/**
 * Child process that holds a writable catalog open, as a running environment does: argv =
 * [store path, organization id]. Opens the catalog writable (which takes a new epoch), sends
 * `{epoch, upper}` (as strings), waits for any message, then commits one config change. Exits 0
 * when the commit lands, 5 (the CLI's "fenced") when the catalog was fenced, 1 otherwise; the
 * outcome is sent as `{outcome, message}` before exiting.
 */
import { FenceError } from '../../src/errors.js'
import { openUnopenedCatalog } from '../../src/catalog/index.js'
import { rowLookup } from '../../src/catalog/codec/row-lookup.js'
import { openStore } from '../../src/store/open-store.js'

const [path, org] = process.argv.slice(2)
if (path === undefined || org === undefined || process.send === undefined) {
  throw new Error('usage: fork(child-held-writer.js, [store path, organization id]) with IPC')
}
const send = (msg: unknown) =>
  new Promise<void>((resolve, reject) => process.send!(msg, (err: Error | null) => (err ? reject(err) : resolve())))

const store = await openStore(path, { lookup: rowLookup })
const catalog = await (await openUnopenedCatalog(store, org)).openWritable()
const upper = await store.fetchRecentUpper(catalog.shards.catalog)
await send({ epoch: catalog.epoch.toString(), upper: String(upper) })
await new Promise<void>((resolve) => process.once('message', () => resolve()))
try {
  const txn = await catalog.transaction()
  txn.setConfig('held_writer', 1n)
  await txn.commit()
  await send({ outcome: 'committed', message: '' })
  process.exitCode = 0
} catch (err) {
  const fenced = err instanceof FenceError
  await send({ outcome: fenced ? 'fenced' : 'failed', message: (err as Error).message })
  process.exitCode = fenced ? 5 : 1
} finally {
  await store.close()
  process.disconnect()
}
