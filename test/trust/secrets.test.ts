/**
 * Issue 12, item 3: a PostgreSQL password never appears in any output: not in userinfo
 * (`postgres://u:SECRET@h/db`), not as a `?password=` parameter, not when a URL is given where a
 * file is expected. The server here is unreachable (port 1), which is enough to make every command
 * print its error about the location.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makeTempDir, listDir } from '../helpers/tmp.js'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { cli, initStore } from './trust-kit.js'

const SECRET = 's3cr3t-Pa55'
const URLS = [
  `postgres://someone:${SECRET}@127.0.0.1:1/catalog`,
  `postgresql://someone@127.0.0.1:1/catalog?password=${SECRET}&connect_timeout=1`,
  `postgres://127.0.0.1:1/catalog?sslpassword=${SECRET}&password=${SECRET}`,
]

test('the password of a PostgreSQL URL is never printed, whatever the command', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    for (const url of URLS) {
      const runs = [
        ['--store', url, 'epoch'],
        ['--store', url, 'inspect', '-v'],
        ['--store', url, 'dump'],
        ['diff', url, store],
        ['copy', '--from', store, '--to', url],
        ['copy', '--from', url, '--to', tmp.path('x.db')],
        ['--store', store, 'export', url],
        ['--store', store, 'backup', url],
        ['--store', store, 'restore', url, '--dry-run'],
        ['--store', url, 'init', '--organization-id', '00000000-0000-4000-8000-000000000009'],
      ]
      for (const args of runs) {
        const r = await cli(['--retry-timeout', '0', ...args])
        assert.notEqual(r.code, 0, args.join(' '))
        assert.doesNotMatch(r.stdout + r.stderr, new RegExp(SECRET), `${args.join(' ')}: ${r.stderr}`)
        assert.doesNotMatch(r.stderr, /internal error/, `${args.join(' ')}: ${r.stderr}`)
      }
    }
    for (const name of listDir(tmp.dir)) {
      if (name.endsWith('.db')) continue
      assert.doesNotMatch(readFileSync(join(tmp.dir, name), 'utf8'), new RegExp(SECRET))
    }
  } finally {
    tmp.cleanup()
  }
})
