/**
 * A TCP proxy in front of a PostgreSQL server that loses the reply to one commit: once a client
 * has sent `marker` (in a query or a parameter, as text or hex), the first answer from the server that ends a
 * transaction — a ReadyForQuery saying "idle", which follows a COMMIT or a statement run on its own
 * (autocommit) — is not forwarded; both sockets are destroyed instead. The transaction has
 * committed; the client sees its connection drop before it learns so, the outcome it cannot know.
 * Only the first such answer is cut; every other byte passes through unchanged. Needs a connection
 * without TLS (the test server's).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net'

export interface CommitCutProxy {
  readonly port: number
  /** How many COMMIT replies were dropped (0 or 1). */
  readonly cuts: number
  /** `url` with its port replaced by the proxy's. */
  via(url: string): string
  close(): Promise<void>
}

/** `ReadyForQuery` with transaction status `I` (idle): the server's last word after a transaction ends. */
const READY_IDLE = Buffer.from([0x5a, 0, 0, 0, 5, 0x49])

export async function startCommitCutProxy(serverPort: number, marker: string): Promise<CommitCutProxy> {
  const sockets = new Set<Socket>()
  let cuts = 0
  // As text, or hex-encoded (a bytea sent inside an array parameter travels as `\\x…` text).
  const needles = [Buffer.from(marker), Buffer.from(Buffer.from(marker).toString('hex'))]
  const longest = Math.max(...needles.map((n) => n.length))
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: serverPort })
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => undefined)
    }
    let sawMarker = false
    // The tail of the previous chunk, so a marker split across two chunks is still seen.
    let tail = Buffer.alloc(0)
    client.on('data', (chunk: Buffer) => {
      const joined = Buffer.concat([tail, chunk])
      if (needles.some((n) => joined.includes(n))) sawMarker = true
      tail = joined.subarray(Math.max(0, joined.length - longest))
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      if (sawMarker && cuts === 0 && chunk.includes(READY_IDLE)) {
        cuts++
        client.destroy()
        upstream.destroy()
        return
      }
      client.write(chunk)
    })
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  return {
    port,
    get cuts() {
      return cuts
    },
    via(url: string) {
      const u = new URL(url)
      u.port = String(port)
      u.hostname = '127.0.0.1'
      return u.toString()
    },
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
