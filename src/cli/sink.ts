/**
 * Where a command's data goes: stdout, or a TARGET file. A file is written under a temporary
 * name in the same directory (created exclusively, mode 0600) and renamed into place only when
 * the command succeeds, so a failed run never leaves a half-written file (and never truncates an
 * existing one). Every command that writes a file writes it through here.
 */
import { randomBytes } from 'node:crypto'
import { createWriteStream, type WriteStream } from 'node:fs'
import { link, rename, unlink } from 'node:fs/promises'
import { once } from 'node:events'
import { basename, dirname, join } from 'node:path'
import { isTransient, RefusedError, StoreError } from '../errors.js'
import type { CommandContext } from './context.js'
import { writeTo } from './output.js'
import { checkTarget, isStdoutTarget } from './target.js'

/** Bytes buffered before a flush. */
const CHUNK = 256 * 1024

export interface DataSink {
  /**
   * Buffers text (or several texts, one after the other) as UTF-8; flushes (honouring
   * backpressure) in chunks of about 256 KiB, each ending at the end of a text.
   */
  write(text: string | readonly string[]): Promise<void>
  /** Whether any byte has left the buffer (a retry can then no longer start over on stdout). */
  readonly started: boolean
  /** Starts over if possible (empties the buffer, truncates a file); false when bytes already reached stdout. */
  restart(): Promise<boolean>
  /** Flushes, and puts a file in place. */
  commit(): Promise<void>
  /** Discards a file; leaves stdout as it is. */
  abort(): Promise<void>
  /** What the data went to, for messages. */
  readonly description: string
}

/**
 * `target` undefined or `-` → stdout; else the file, checked by the TARGET rules (`target.ts`):
 * an existing file is replaced only with `force`, and even then never the store or its sidecars.
 */
export function openSink(ctx: CommandContext, target: string | undefined, opts: { force?: boolean } = {}): DataSink {
  if (isStdoutTarget(target)) return new StdoutSink(ctx)
  const force = opts.force === true
  return new FileSink(checkTarget(ctx, target as string, { force }), force)
}

/**
 * Runs `produce` under the retry policy (`label` names the work), writing into `target` (stdout,
 * or a file put in place only on success). A retry starts the output over; once bytes have
 * reached stdout it no longer can, so the error is final. Returns where the data went.
 */
export async function writeTarget(
  ctx: CommandContext,
  target: string | undefined,
  label: string,
  produce: (sink: DataSink) => Promise<void>,
  opts: { force?: boolean } = {},
): Promise<string> {
  const sink = openSink(ctx, target, opts)
  try {
    await ctx.retrying(
      label,
      async () => {
        await sink.restart()
        await produce(sink)
      },
      { retryable: (err) => isTransient(err) && !sink.started },
    )
    await sink.commit()
  } catch (err) {
    await sink.abort()
    throw err
  }
  return sink.description
}

/**
 * The buffer of both sinks: texts are encoded straight into one chunk of bytes, and each chunk
 * goes out as it fills. A chunk never splits a text, so every chunk is valid UTF-8 on its own.
 */
abstract class BufferedSink implements DataSink {
  #chunk = Buffer.allocUnsafe(CHUNK)
  #size = 0
  #started = false
  abstract readonly description: string
  protected abstract flushChunk(bytes: Uint8Array): Promise<void>

  get started(): boolean {
    return this.#started
  }
  async write(text: string | readonly string[]): Promise<void> {
    // Several texts (a batch of rows, one text each) are encoded as one: V8 flattens the joined
    // text once and it is encoded in one call, which costs less than one call per text.
    const t = typeof text === 'string' ? text : text.join('')
    if (!this.#addToChunk(t)) await this.#add(t)
  }
  /** Adds a text that surely fits the chunk; false (nothing added) when it may not. */
  #addToChunk(text: string): boolean {
    // A UTF-16 unit takes at most 3 bytes in UTF-8 (a surrogate pair, 2 units, takes 4).
    if (this.#size + text.length * 3 > CHUNK) return false
    this.#size += this.#chunk.write(text, this.#size, 'utf8')
    return true
  }
  async #add(text: string): Promise<void> {
    await this.flush()
    if (text.length * 3 > CHUNK) {
      this.#started = true
      await this.flushChunk(Buffer.from(text, 'utf8'))
      return
    }
    this.#size += this.#chunk.write(text, this.#size, 'utf8')
  }
  protected async flush(): Promise<void> {
    if (this.#size === 0) return
    // A fresh chunk each time: the stream may still hold the one handed over.
    const bytes = this.#chunk.subarray(0, this.#size)
    this.#chunk = Buffer.allocUnsafe(CHUNK)
    this.#size = 0
    this.#started = true
    await this.flushChunk(bytes)
  }
  protected discardBuffer(): void {
    this.#size = 0
    this.#started = false
  }
  abstract restart(): Promise<boolean>
  abstract commit(): Promise<void>
  abstract abort(): Promise<void>
}

class StdoutSink extends BufferedSink {
  readonly description = 'stdout'
  constructor(private readonly ctx: CommandContext) {
    super()
  }
  protected flushChunk(bytes: Uint8Array): Promise<void> {
    return this.ctx.out.data(bytes)
  }
  async restart(): Promise<boolean> {
    if (this.started) return false
    this.discardBuffer()
    return true
  }
  commit(): Promise<void> {
    return this.flush()
  }
  async abort(): Promise<void> {
    this.discardBuffer()
  }
}

class FileSink extends BufferedSink {
  readonly description: string
  readonly #temp: string
  #stream: WriteStream | undefined
  #error: Error | undefined

  constructor(
    private readonly path: string,
    private readonly replace: boolean,
  ) {
    super()
    this.description = path
    this.#temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
  }
  #open(): WriteStream {
    if (this.#stream === undefined) {
      // A fresh name (never an existing file or link), owner-only like the stores and backups.
      const s = createWriteStream(this.#temp, { flags: 'wx', mode: 0o600 })
      s.on('error', (err) => {
        this.#error ??= err
      })
      this.#stream = s
    }
    return this.#stream
  }
  protected async flushChunk(bytes: Uint8Array): Promise<void> {
    const stream = this.#open()
    if (this.#error !== undefined) throw this.#error
    await writeTo(stream, bytes)
  }
  async #close(): Promise<void> {
    const s = this.#stream
    this.#stream = undefined
    if (s !== undefined && !s.closed) {
      s.end()
      await once(s, 'close')
    }
    if (this.#error !== undefined) throw this.#error
  }
  async restart(): Promise<boolean> {
    await this.#close().catch(() => undefined)
    // The next attempt creates its temporary file afresh (exclusively).
    await unlink(this.#temp).catch(() => undefined)
    this.#error = undefined
    this.discardBuffer()
    return true
  }
  async commit(): Promise<void> {
    try {
      this.#open()
      await this.flush()
      await this.#close()
      if (this.replace) await rename(this.#temp, this.path)
      else {
        // Without --force, put the file in place only if the name is still free (link fails on an
        // existing name), so a file created meanwhile is never replaced.
        await link(this.#temp, this.path)
        await unlink(this.#temp)
      }
    } catch (err) {
      await this.abort()
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new RefusedError(`TARGET ${this.path} was created by someone else meanwhile; not replacing it`, {
          code: 'target-exists',
          cause: err,
        })
      }
      throw new StoreError(`cannot write ${this.path}: ${(err as Error).message}`, { code: 'target-write-failed', cause: err })
    }
  }
  async abort(): Promise<void> {
    this.discardBuffer()
    this.#stream?.destroy()
    this.#stream = undefined
    await unlink(this.#temp).catch(() => undefined)
  }
}
