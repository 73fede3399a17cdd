/**
 * The sorted runs of `spilling-sort.ts` in its temporary file: each row as its prefix (a length
 * byte, 255 for none, then the prefix's bytes), its text's UTF-8 length (4 bytes) and text, and
 * its sum (8 bytes), written through a reused chunk and read back through a small buffer per run.
 */
import { readSync, writeSync } from 'node:fs'
import type { SortRow } from './spilling-sort.js'

/** A sorted run: where it lies in the file. */
export interface Run {
  readonly start: number
  readonly end: number
}

/** `prefix` length byte of a row without a prefix. */
const NO_PREFIX = 255

/** Appends rows to the file from `start`, through a chunk of bytes (the sort's, reused run after run). */
export class RunWriter {
  #chunk: Buffer
  #used = 0
  #pos: number

  constructor(
    private readonly fd: number,
    private readonly start: number,
    chunk: Buffer,
  ) {
    this.#chunk = chunk
    this.#pos = start
  }

  add(row: SortRow): void {
    const dataBytes = Buffer.byteLength(row.data, 'utf8')
    const prefixBytes = row.prefix?.length ?? 0
    const size = 1 + prefixBytes + 4 + dataBytes + 8
    if (this.#used + size > this.#chunk.length) {
      this.#flush()
      if (size > this.#chunk.length) this.#chunk = Buffer.allocUnsafe(size)
    }
    const chunk = this.#chunk
    let used = this.#used
    chunk[used++] = row.prefix === undefined ? NO_PREFIX : prefixBytes
    if (row.prefix !== undefined) used += chunk.write(row.prefix, used, 'latin1')
    chunk.writeUInt32BE(dataBytes, used)
    used += 4
    used += chunk.write(row.data, used, 'utf8')
    chunk.writeBigInt64BE(row.diff, used)
    this.#used = used + 8
  }

  /** Writes what is left; the run written. */
  end(): Run {
    this.#flush()
    return { start: this.start, end: this.#pos }
  }

  #flush(): void {
    let off = 0
    while (off < this.#used) off += writeSync(this.fd, this.#chunk, off, this.#used - off, this.#pos + off)
    this.#pos += this.#used
    this.#used = 0
  }
}

/** Reads one run's rows back, in order, through a small buffer. */
export class RunReader {
  #buf: Buffer
  /** Valid bytes in the buffer are [#at, #len). */
  #at = 0
  #len = 0
  #pos: number

  constructor(
    private readonly fd: number,
    private readonly run: Run,
    chunkBytes: number,
  ) {
    this.#buf = Buffer.allocUnsafe(chunkBytes)
    this.#pos = run.start
  }

  next(): SortRow | undefined {
    if (!this.#ensure(1)) return undefined
    const prefixLen = this.#buf[this.#at] as number
    const prefixBytes = prefixLen === NO_PREFIX ? 0 : prefixLen
    this.#ensure(1 + prefixBytes + 4)
    let at = this.#at + 1
    const prefix = prefixLen === NO_PREFIX ? undefined : this.#buf.toString('latin1', at, at + prefixBytes)
    at += prefixBytes
    const dataBytes = this.#buf.readUInt32BE(at)
    const size = 1 + prefixBytes + 4 + dataBytes + 8
    this.#ensure(size)
    at = this.#at + 1 + prefixBytes + 4
    const data = this.#buf.toString('utf8', at, at + dataBytes)
    const diff = this.#buf.readBigInt64BE(at + dataBytes)
    this.#at += size
    return { data, diff, prefix }
  }

  /** Makes `n` bytes available at `#at` (false at the run's end); a run is never cut short. */
  #ensure(n: number): boolean {
    if (this.#len - this.#at >= n) return true
    const left = this.#len - this.#at
    if (left === 0 && this.#pos >= this.run.end) return false
    const buf = n > this.#buf.length ? Buffer.allocUnsafe(n) : this.#buf
    this.#buf.copy(buf, 0, this.#at, this.#len)
    this.#buf = buf
    this.#at = 0
    this.#len = left
    while (this.#len < n) {
      const want = Math.min(buf.length - this.#len, this.run.end - this.#pos)
      if (want <= 0) throw new Error('a sorted run ends inside a row')
      const got = readSync(this.fd, buf, this.#len, want, this.#pos)
      if (got === 0) throw new Error('the sort file ends inside a run')
      this.#len += got
      this.#pos += got
    }
    return true
  }
}
