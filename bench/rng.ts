/**
 * A small seeded pseudo-random generator (mulberry32) for the benchmark generator and the
 * reliability suite: the same seed always gives the same catalog, the same kill delays and the
 * same bad inputs, so a failing run can be replayed from the seed it printed.
 */

export class Rng {
  #state: number

  constructor(seed: number) {
    this.#state = (seed >>> 0) ^ 0x9e3779b9
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty array')
    return items[Math.floor(this.next() * items.length)] as T
  }

  /** An index chosen with the given (non-negative) weights. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0)
    let r = this.next() * total
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number
      if (r < 0) return i
    }
    return weights.length - 1
  }

  /** A lower-case identifier of `len` letters. */
  word(len: number): string {
    let s = ''
    for (let i = 0; i < len; i++) s += String.fromCharCode(97 + Math.floor(this.next() * 26))
    return s
  }

  /** A UUID (version-4 layout) made from this generator, so it is reproducible. */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.next() * 16).toString(16)).join('')
    const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16)
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  }
}
