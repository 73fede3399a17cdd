/**
 * The scratch database (`src/store/sqlite/scratch-database.ts`): indexes a command builds while it
 * reads live on disk in a temporary file of `TMPDIR` that no one can see (unlinked at open) and
 * that is gone when the process ends, even when it is killed.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { openScratchDatabase } from '../../src/store/sqlite/scratch-database.js'

const MODULE = join(dirname(fileURLToPath(import.meta.url)), '../../src/store/sqlite/scratch-database.js')

test('a scratch database indexes, answers queries and rolls back a failed transaction', () => {
  const db = openScratchDatabase({ cacheKiB: 256 })
  try {
    db.exec('CREATE TABLE names (schema_id INTEGER NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL)')
    const insert = db.prepare('INSERT INTO names VALUES (?, ?, ?)')
    db.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run(i % 2, `t${i % 10_000}`, `u${i}`)
    })
    db.exec('CREATE INDEX names_by_name ON names (schema_id, name)')
    const duplicates = db.prepare('SELECT COUNT(*) AS n FROM (SELECT 1 FROM names GROUP BY schema_id, name HAVING COUNT(*) > 1)', {
      numbers: true,
    })
    assert.equal(duplicates.get()?.n, 10_000, 'every name is held twice in its schema, as numbers')
    assert.equal(db.prepare('SELECT COUNT(*) AS n FROM names').get()?.n, 20_000n)
    assert.throws(() =>
      db.transaction(() => {
        insert.run(1, 'x', 'y')
        throw new Error('stop')
      }),
    )
    assert.equal(db.prepare('SELECT COUNT(*) AS n FROM names').get()?.n, 20_000n)
    const ids = [...db.prepare("SELECT id FROM names WHERE schema_id = 0 AND name = 't0' ORDER BY id").iterate()].map((r) => r.id)
    assert.deepEqual(ids, ['u0', 'u10000'])
  } finally {
    db.close()
  }
})

test('a cached statement is made once per text and options, and answers as prepared', () => {
  const db = openScratchDatabase()
  try {
    db.exec('CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (7)')
    const big = db.statement('SELECT n FROM t')
    assert.equal(db.statement('SELECT n FROM t'), big, 'the same text gives the same statement')
    const small = db.statement('SELECT n FROM t', { numbers: true })
    assert.notEqual(small, big, 'other options, another statement')
    assert.equal(big.get()?.n, 7n)
    assert.equal(small.get()?.n, 7)
  } finally {
    db.close()
  }
})

/** Runs a child that fills a scratch database past its cache, then reports its spill file and waits. */
function childFillingScratch(tmp: string): Promise<{ spill: string[]; listedInTmp: string[]; code: number | null }> {
  const script = `
    import { openScratchDatabase } from ${JSON.stringify(MODULE)}
    import { readdirSync, readlinkSync } from 'node:fs'
    const db = openScratchDatabase({ cacheKiB: 128 })
    db.exec('CREATE TABLE t (k TEXT)')
    const insert = db.prepare('INSERT INTO t VALUES (?)')
    db.transaction(() => { for (let i = 0; i < 50000; i++) insert.run('row ' + i + ' '.repeat(40)) })
    const spill = readdirSync('/proc/self/fd').map((fd) => { try { return readlinkSync('/proc/self/fd/' + fd) } catch { return '' } })
      .filter((l) => l.startsWith(process.env.TMPDIR))
    process.stdout.write(JSON.stringify({ spill, listedInTmp: readdirSync(process.env.TMPDIR) }) + '\\n')
    setInterval(() => {}, 1000)
  `
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    let report: { spill: string[]; listedInTmp: string[] } | undefined
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (report === undefined && out.includes('\n')) {
        report = JSON.parse(out.slice(0, out.indexOf('\n')))
        child.kill('SIGKILL')
      }
    })
    child.on('error', reject)
    child.on('close', (code) =>
      report === undefined ? reject(new Error(`child ended (${code}) before reporting: ${out}`)) : resolve({ ...report, code }),
    )
  })
}

test('a scratch database spills to an unlinked file in TMPDIR, which nothing outlives', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'scratch-tmp-'))
  try {
    const { spill, listedInTmp } = await childFillingScratch(tmp)
    assert.equal(spill.length, 1, `one spill file open under TMPDIR: ${JSON.stringify(spill)}`)
    assert.match(spill[0] ?? '', / \(deleted\)$/, 'the spill file is unlinked while in use')
    assert.deepEqual(listedInTmp, [], 'nothing is visible in TMPDIR while the database is in use')
    assert.deepEqual(readdirSync(tmp), [], 'nothing is left in TMPDIR after the process is killed')
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
})
