/**
 * Texts and numbers held for a whole command outside the JavaScript heap's objects: stored texts
 * in UTF-8 buffers ({@link TextArena}, {@link TextList}), 64-bit integers in typed arrays
 * ({@link U64Column}). A runtime moves what survives its young-generation collections to the old
 * generation, grows its young generation when much survives, and collects the old one late, so
 * many small objects kept for long cost several times their size; buffers and typed arrays are
 * one object each.
 */

/** Bytes per buffer of a {@link TextArena} (a longer text gets a buffer of its own). */
const ARENA_CHUNK_BYTES = 1 << 20
/** Any UTF-16 surrogate: a text holding one stays a string (UTF-8 cannot carry a lone one). */
const SURROGATE = /[\ud800-\udfff]/

/** Whether `text` holds a UTF-16 surrogate (then a {@link TextArena} cannot hold it). */
export function hasSurrogate(text: string): boolean {
  return SURROGATE.test(text)
}

/**
 * Stored texts as UTF-8 in buffers outside the JavaScript heap: a large catalog's items are tens
 * of megabytes of text, and a runtime that holds them on its heap lets the heap grow by several
 * times that before it collects. Appended to, never rewritten: the bytes of a row let go of later
 * stay until the arena is dropped (an arena lives for one command).
 */
export class TextArena {
  readonly #chunks: Buffer[] = []
  #used = ARENA_CHUNK_BYTES

  /** Stores `text` (without surrogates); returns its place, read back with {@link text}. */
  add(text: string, bytes: number): number {
    if (bytes > ARENA_CHUNK_BYTES - this.#used) {
      this.#chunks.push(Buffer.allocUnsafe(Math.max(ARENA_CHUNK_BYTES, bytes)))
      this.#used = 0
    }
    const chunk = this.#chunks.length - 1
    const start = this.#used
    ;(this.#chunks[chunk] as Buffer).write(text, start, bytes, 'utf8')
    this.#used += bytes
    return chunk * ARENA_CHUNK_BYTES + start
  }

  text(place: number, bytes: number): string {
    const chunk = Math.floor(place / ARENA_CHUNK_BYTES)
    const start = place - chunk * ARENA_CHUNK_BYTES
    return (this.#chunks[chunk] as Buffer).toString('utf8', start, start + bytes)
  }
}

/** An append-only list of texts (a surrogate-holding one is kept as a string beside the arena). */
export class TextList {
  readonly #arena = new TextArena()
  readonly #places = new NumberColumn()
  readonly #bytes = new NumberColumn()
  readonly #strings = new Map<number, string>()

  get length(): number {
    return this.#places.length
  }

  /** Appends `text`; returns its index. */
  push(text: string): number {
    const i = this.#places.length
    if (hasSurrogate(text)) {
      this.#strings.set(i, text)
      this.#places.push(0)
      this.#bytes.push(0)
      return i
    }
    const bytes = Buffer.byteLength(text, 'utf8')
    this.#places.push(this.#arena.add(text, bytes))
    this.#bytes.push(bytes)
    return i
  }

  at(i: number): string {
    return this.#strings.get(i) ?? this.#arena.text(this.#places.at(i), this.#bytes.at(i))
  }
}

/** A growable column of non-negative integers below 2^53 (offsets, indexes), unboxed. */
export class NumberColumn {
  #values = new Float64Array(256)
  length = 0

  push(v: number): void {
    if (this.length === this.#values.length) {
      const next = new Float64Array(this.#values.length * 2)
      next.set(this.#values)
      this.#values = next
    }
    this.#values[this.length++] = v
  }

  at(i: number): number {
    return this.#values[i] as number
  }
}

/** A growable column of unsigned 64-bit integers (timestamps, counts), unboxed. */
export class U64Column {
  #values = new BigUint64Array(256)
  length = 0

  push(v: bigint): void {
    if (this.length === this.#values.length) {
      const next = new BigUint64Array(this.#values.length * 2)
      next.set(this.#values)
      this.#values = next
    }
    this.#values[this.length++] = v
  }

  at(i: number): bigint {
    return this.#values[i] as bigint
  }

  set(i: number, v: bigint): void {
    this.#values[i] = v
  }
}
