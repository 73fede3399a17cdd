/**
 * A catalog-level worker process (forked, IPC) for the crash and fencing scenarios.
 *
 * - `migrate STORE ORG`: a writable open (epoch bump, migrations to 47, upgrade-shard stamp);
 *   sends `done` with the epoch.
 * - `backup STORE TARGET`: an online backup of STORE to TARGET; sends `done`.
 * - `fence STORE ORG TAG`: a writable open, `opened` with its epoch, then on every `commit`
 *   message a transaction setting `fence_<TAG>_<n>`; replies `committed` or `fenced`. After the
 *   first fence it keeps trying (every attempt must fail without writing).
 */
import { backupStore } from '../../../src/catalog/backup/backup.js'
import { openUnopenedCatalog } from '../../../src/catalog/index.js'
import { CatalogDebugError } from '../../../src/errors.js'
import { openStore } from '../../../src/store/open-store.js'
import { rowLookup } from '../../../src/catalog/codec/row-codec.js'

const [mode, location, arg, tag] = process.argv.slice(2)
const send = (m: object): Promise<void> => new Promise((resolve) => process.send!(m, () => resolve()))

if (mode === 'migrate') {
  const store = await openStore(location!, { lookup: rowLookup, busyTimeoutMs: 30_000 })
  await send({ type: 'ready' })
  const catalog = await (await openUnopenedCatalog(store, arg!)).openWritable()
  await send({ type: 'done', epoch: String(catalog.epoch), userVersion: String(catalog.userVersion) })
  await store.close()
  process.disconnect()
} else if (mode === 'backup') {
  const store = await openStore(location!, { readOnly: true, busyTimeoutMs: 30_000 })
  await send({ type: 'ready' })
  await backupStore(store, arg!)
  await send({ type: 'done' })
  await store.close()
  process.disconnect()
} else if (mode === 'fence') {
  const store = await openStore(location!, { lookup: rowLookup, busyTimeoutMs: 30_000 })
  const catalog = await (await openUnopenedCatalog(store, arg!)).openWritable()
  await send({ type: 'opened', epoch: String(catalog.epoch) })
  let n = 0
  // Commits run one after another, as one environment's catalog would issue them.
  let queue: Promise<void> = Promise.resolve()
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stop') {
      queue = queue.then(() => store.close()).then(() => process.disconnect())
      return
    }
    const name = `fence_${tag}_${n++}`
    queue = queue.then(async () => {
      try {
        const txn = await catalog.transaction()
        txn.setSetting(name, 'x')
        await txn.commit()
        await send({ type: 'result', name, outcome: 'committed' })
      } catch (err) {
        const fenced = err instanceof CatalogDebugError && err.category === 'fenced'
        await send({ type: 'result', name, outcome: fenced ? 'fenced' : 'error', message: (err as Error).message })
      }
    })
  })
} else {
  throw new Error(`unknown mode ${mode}`)
}
