/**
 * A TCP proxy in front of a PostgreSQL server that loses one COMMIT's reply: the connection whose
 * transaction sent `marker` (anywhere in its queries or parameters since its last COMMIT) has its
 * COMMIT forwarded to the server, and when the server's answer comes back — so the transaction
 * has committed — both sockets are destroyed instead of forwarding it. The client sees its
 * connection drop during COMMIT, the outcome it cannot know. Only the first such COMMIT is cut;
 * every other byte passes through unchanged. Needs a connection without TLS (the test server's).
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

/** A simple-protocol `Query` message whose text is `COMMIT`. */
const COMMIT_QUERY = Buffer.concat([Buffer.from('Q'), Buffer.from([0, 0, 0, 11]), Buffer.from('COMMIT\0')])

export async function startCommitCutProxy(serverPort: number, marker: string): Promise<CommitCutProxy> {
  const sockets = new Set<Socket>()
  let cuts = 0
  const needle = Buffer.from(marker)
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: serverPort })
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => undefined)
    }
    let sawMarker = false
    let cutting = false
    // The tail of the previous chunk, so a marker split across two chunks is still seen.
    let tail = Buffer.alloc(0)
    client.on('data', (chunk: Buffer) => {
      const joined = Buffer.concat([tail, chunk])
      if (joined.includes(needle)) sawMarker = true
      if (joined.includes(COMMIT_QUERY)) {
        if (sawMarker && cuts === 0) cutting = true
        sawMarker = false
        tail = Buffer.alloc(0)
      } else {
        tail = joined.subarray(Math.max(0, joined.length - needle.length - COMMIT_QUERY.length))
      }
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      if (cutting) {
        cuts++
        cutting = false
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
