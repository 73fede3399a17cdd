/**
 * The shard store conformance suite on PostgreSQL: one throwaway server and one database for the
 * file (the suite's shard ids are random, so tests cannot collide), a fresh store handle per test.
 *
 * The server runs as a real one would (PostgreSQL's default durability and connection limit),
 * except for authentication: `trust` rather than SCRAM, which would spend a key derivation on every
 * new connection and make the suite's short wait deadlines flaky on a loaded machine (passwords
 * are tested in `store-postgres.test.ts`). Without server binaries the suite skips (saying why),
 * or fails when CI=true; see `helpers/postgres-server.ts`.
 */
import { before } from 'node:test'
import { openPostgresStore } from '../src/store/postgres/index.js'
import type { ShardStore } from '../src/store/shard-store.js'
import { describePostgres } from './helpers/postgres-server.js'
import { defineStoreConformance } from './helpers/store-conformance.js'

describePostgres(
  'postgres',
  (server) => {
    let url: string
    before(() => {
      url = server().createDatabase('conformance')
    })

    defineStoreConformance('postgres store', async (opts) => {
      const handles: ShardStore[] = []
      const open = async (o: typeof opts): Promise<ShardStore> => {
        const s = await openPostgresStore(url, { ...o, create: o.readOnly !== true })
        handles.push(s)
        return s
      }
      const store = await open(opts)
      return {
        store,
        reopen: (o) => open({ ...opts, ...o }),
        cleanup: async () => {
          for (const h of handles) await h.close()
        },
      }
    })
  },
  { auth: 'trust', durable: true },
)
