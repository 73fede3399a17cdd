/** Checks of items' SQL: a port of Materialize's SQL lexer and CREATE statement heads. */

export { checkItemSql, checkItemSqlOf } from './check-items.js'
export { itemSqlEntry, type ItemSqlEntry } from './item-sql-entry.js'
export { parseCreateStatement } from './statement.js'
export { ITEM_TYPE_OF } from './statement-head.js'
