/**
 * Catalog fencing (`helpers/catalog-fencing.ts`) on both store backends: a SQLite file per test,
 * and a database per test on one throwaway PostgreSQL server (skipped without server binaries,
 * failing when CI=true; see `helpers/postgres-server.ts`).
 */
import { rowLookup } from '../src/catalog/codec/row-codec.js'
import { openStore } from '../src/store/open-store.js'
import { defineCatalogFencing } from './helpers/catalog-fencing.js'
import { TEST_BUILD, tempStore } from './helpers/catalog-store.js'
import { describePostgres } from './helpers/postgres-server.js'

defineCatalogFencing('sqlite file store', async () => {
  const t = tempStore('fence')
  return { open: () => t.open(), cleanup: () => t.cleanup() }
})

describePostgres('postgres', (server) => {
  defineCatalogFencing('postgres store', async () => {
    const url = server().createDatabase('fencing')
    return {
      open: () => openStore(url, { create: true, lookup: rowLookup, buildVersion: TEST_BUILD }),
      // The server (and every database on it) goes away after the file.
      cleanup: () => undefined,
    }
  })
})
