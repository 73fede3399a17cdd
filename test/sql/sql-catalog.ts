/**
 * A small in-memory catalog for the item-SQL checks: databases, schemas, items, clusters and
 * comments as decoded rows (ids as `{"value":{"User":n}}` with bigint numbers).
 */
import type { JsonValue } from '../../src/json/lossless-json.js'

type Row = { key: JsonValue; value: JsonValue }

const id = (tag: 'User' | 'System', n: number): JsonValue => ({ value: { [tag]: BigInt(n) } })
const parse = (text: string): [tag: 'User' | 'System', n: number] => {
  const n = Number(text.slice(1))
  return [text.startsWith('s') ? 'System' : 'User', n]
}
const quoted = (parts: readonly string[]): string => parts.map((p) => `"${p.replaceAll('"', '""')}"`).join('.')

export class SqlCatalog {
  readonly databases: Row[] = []
  readonly schemas: Row[] = []
  readonly items: Row[] = []
  readonly clusters: Row[] = [{ key: { id: id('User', 1) }, value: { name: 'quickstart' } }]
  readonly comments: Row[] = []
  readonly #databaseIds = new Map<string, number>()
  readonly #schemaIds = new Map<string, string>()

  /** The schema `db.schema` (or the ambient `schema`), created on first use; returns its id (`u3`). */
  schema(qualifiers: readonly string[]): string {
    const key = qualifiers.join('.')
    const known = this.#schemaIds.get(key)
    if (known !== undefined) return known
    const n = this.#schemaIds.size + 10
    let databaseId: JsonValue = null
    if (qualifiers.length === 2) {
      const db = qualifiers[0] as string
      let dbId = this.#databaseIds.get(db)
      if (dbId === undefined) {
        dbId = this.#databaseIds.size + 1
        this.#databaseIds.set(db, dbId)
        this.databases.push({ key: { id: id('User', dbId) }, value: { name: db } })
      }
      databaseId = id('User', dbId)
    }
    const schemaId = qualifiers.length === 2 ? `u${n}` : `s${n}`
    this.schemas.push({ key: { id: id(...parse(schemaId)) }, value: { name: qualifiers.at(-1) as string, database_id: databaseId } })
    this.#schemaIds.set(key, schemaId)
    return schemaId
  }

  /** Item `itemId` named `fullName` (its last part is the name) with `createSql`. */
  item(itemId: string, fullName: readonly string[], createSql: string | null): this {
    const schemaId = this.schema(fullName.slice(0, -1))
    this.items.push({
      key: { gid: id(...parse(itemId)) },
      value: {
        schema_id: id(...parse(schemaId)),
        name: fullName.at(-1) as string,
        definition: createSql === null ? null : { value: { V1: { create_sql: createSql } } },
      },
    })
    return this
  }

  /** A table named `fullName` with its stored statement. */
  table(itemId: string, fullName: readonly string[]): this {
    return this.item(itemId, fullName, `CREATE TABLE ${quoted(fullName)} ("a" [s20 AS "pg_catalog"."int4"])`)
  }

  cluster(clusterId: string): this {
    this.clusters.push({ key: { id: id(...parse(clusterId)) }, value: { name: clusterId } })
    return this
  }

  comment(tag: string, itemId: string): this {
    this.comments.push({ key: { object: { [tag]: id(...parse(itemId)) }, sub_component: null }, value: { comment: 'c' } })
    return this
  }
}

export { quoted }
