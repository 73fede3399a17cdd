/**
 * A store that `import` or `copy --to` creates (built privately, issue 13) is, once it appears at
 * its name, what every other open expects: WAL mode, every index, the format marker, an intact
 * file, no temporary file or `-wal` left beside it; and a command on it afterwards works.
 */
import assert from 'node:assert/strict'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { after, it } from 'node:test'
import { openRawDatabase } from '../../src/store/sqlite/raw-database.js'
import { repoRoot } from '../helpers/cli-golden.js'
import { spawnCli } from '../helpers/cli-process.js'
import { makeTempDir } from '../helpers/tmp.js'

const tmp = makeTempDir()
after(() => tmp.cleanup())
const DEMO = join(repoRoot(), 'fixtures', 'demo-v47.ndjson')

function shape(path: string): Record<string, unknown> {
  const raw = openRawDatabase(path, { readOnly: true, mustExist: true })
  try {
    const one = (sql: string) => Object.values(raw.all(sql)[0] as object)[0]
    return {
      journal_mode: one('PRAGMA journal_mode'),
      user_version: one('PRAGMA user_version'),
      application_id: one('PRAGMA application_id'),
      integrity: one('PRAGMA integrity_check'),
      indexes: raw
        .all("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'updates' ORDER BY name")
        .map((r) => String(r.name)),
    }
  } finally {
    raw.close()
  }
}

const EXPECTED = {
  journal_mode: 'wal',
  user_version: 1n,
  application_id: 0x43444247n,
  integrity: 'ok',
  indexes: ['updates_by_a_ts', 'updates_by_lookup', 'updates_by_ts'],
}

it('import and copy --to create a WAL store with its indexes and marker, and leave nothing else', async () => {
  const imported = tmp.path('imported.db')
  const imp = await spawnCli(['--store', imported, 'import', DEMO])
  assert.equal(imp.code, 0, imp.stderr)
  const copied = tmp.path('copied.db')
  const copy = await spawnCli(['copy', '--from', imported, '--to', copied])
  assert.equal(copy.code, 0, copy.stderr)
  assert.match(copy.stdout, /verified: the copy equals the source/)
  for (const path of [imported, copied]) {
    assert.deepEqual(shape(path), EXPECTED, path)
    assert.equal(statSync(path).mode & 0o777, 0o600)
  }
  // Only the stores and, from the reads above, their (empty) WAL sidecars: no temporary file.
  assert.deepEqual(
    readdirSync(tmp.path('.')).filter((n) => !/^(imported|copied)\.db(-wal|-shm)?$/.test(n)),
    [],
  )
  for (const n of readdirSync(tmp.path('.')).filter((n) => n.endsWith('-wal'))) assert.equal(statSync(tmp.path(n)).size, 0)
  // A write afterwards: the store takes ordinary WAL commits.
  const edit = await spawnCli(['--store', copied, 'edit', 'setting', '{"name":"after-copy"}', '{"value":"1"}', '--yes'])
  assert.equal(edit.code, 0, edit.stderr)
  assert.deepEqual(shape(copied), EXPECTED)
})
