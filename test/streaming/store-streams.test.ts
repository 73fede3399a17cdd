/** The SQLite store's ordered consolidated streams and streamed append (checks in `store-streams-kit.ts`). */
import { after, test } from 'node:test'
import { tempStore, type TempStore } from '../helpers/catalog-store.js'
import { streamChecks } from '../helpers/store-streams-kit.js'

const temps: TempStore[] = []
after(() => {
  for (const t of temps) t.cleanup()
})

streamChecks(test, () => {
  const t = tempStore('stream')
  temps.push(t)
  return t.open()
})
