/**
 * The shard store conformance suite on PostgreSQL: one throwaway server and one database for the
 * file (the suite's shard ids are random, so tests cannot collide), a fresh store handle per test.
 *
 * Without server binaries this file fails when CI=true and skips (saying why) otherwise; see
 * `helpers/postgres-server.ts`.
 */
import { after, before, describe, it } from 'node:test'
import { openPostgresStore } from '../src/store/postgres/index.js'
import type { ShardStore } from '../src/store/shard-store.js'
import { startPostgresServer, postgresSkipReason, type PostgresServer } from './helpers/postgres-server.js'
import { defineStoreConformance } from './helpers/store-conformance.js'

const skip = postgresSkipReason()

if (skip !== undefined) {
  describe('postgres store conformance', () => {
    it('needs a PostgreSQL server', { skip }, () => {})
  })
} else {
  let server: PostgresServer
  let url: string
  before(async () => {
    // The suite is about semantics, with short wait deadlines: spare it SCRAM key derivation on
    // every new connection (authentication is tested in store-postgres.test.ts).
    server = await startPostgresServer({ auth: 'trust' })
    url = server.createDatabase('conformance')
  })
  after(() => server?.dispose())

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
}
