/**
 * Inserts into a scratch database table many rows per statement: one `INSERT … VALUES (…), (…)`
 * of {@link ROWS} rows costs a fraction of as many one-row inserts (binding and stepping a
 * statement is most of the cost of a small row). Rows wait in a short buffer; {@link flush} writes
 * what is left.
 */

import type { ScratchDatabase, ScratchStatement } from '../../store/sqlite/scratch-database.js'

const ROWS = 64

export class BatchedInsert {
  readonly #one: ScratchStatement
  readonly #many: ScratchStatement
  readonly #width: number
  #values: unknown[] = []

  constructor(db: ScratchDatabase, table: string, width: number) {
    const row = `(${Array(width).fill('?').join(', ')})`
    this.#one = db.prepare(`INSERT INTO ${table} VALUES ${row}`)
    this.#many = db.prepare(`INSERT INTO ${table} VALUES ${Array(ROWS).fill(row).join(', ')}`)
    this.#width = width
  }

  /** Adds one row: exactly `width` values, in the table's column order. */
  add(...values: unknown[]): void {
    for (const v of values) this.#values.push(v)
    if (this.#values.length === ROWS * this.#width) {
      this.#many.run(...this.#values)
      this.#values = []
    }
  }

  /** Writes the rows still waiting. */
  flush(): void {
    const w = this.#width
    for (let i = 0; i < this.#values.length; i += w) this.#one.run(...this.#values.slice(i, i + w))
    this.#values = []
  }
}
