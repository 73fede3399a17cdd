/** The PostgreSQL store's ordered consolidated streams and streamed append (checks in `store-streams-kit.ts`). */
import { before, it } from 'node:test'
import { openStore } from '../../src/store/open-store.js'
import { BUILD } from '../helpers/pg-testing.js'
import { describePostgres, type PostgresServer } from '../helpers/postgres-server.js'
import { streamChecks } from '../helpers/store-streams-kit.js'

describePostgres('postgres streams', (pg) => {
  let server: PostgresServer
  before(() => {
    server = pg()
  })
  streamChecks(it, () => openStore(server.createDatabase(), { create: true, buildVersion: BUILD }))
})
