/**
 * The ids of a large collection (`audit_log`, `storage_usage`), held packed: a u64 id takes 8
 * bytes in a `BigUint64Array` instead of a heap `bigint` and an array slot (about 32 bytes), and
 * a large collection has hundreds of thousands of rows at 1M updates.
 */

const MAX_U64 = (1n << 64n) - 1n

export class IdColumn {
  #packed = new BigUint64Array(1024)
  /** Every id as a `bigint`, once one did not fit a u64 (the row decoded, so this is not expected). */
  #plain: bigint[] | undefined
  #length = 0

  get length(): number {
    return this.#length
  }

  push(id: bigint): void {
    if (this.#plain === undefined && (id < 0n || id > MAX_U64)) this.#plain = Array.from(this.#packed.subarray(0, this.#length))
    if (this.#plain !== undefined) this.#plain.push(id)
    else {
      if (this.#length === this.#packed.length) {
        const grown = new BigUint64Array(this.#packed.length * 2)
        grown.set(this.#packed)
        this.#packed = grown
      }
      this.#packed[this.#length] = id
    }
    this.#length++
  }

  at(i: number): bigint | undefined {
    if (i < 0 || i >= this.#length) return undefined
    return this.#plain === undefined ? this.#packed[i] : this.#plain[i]
  }
}
