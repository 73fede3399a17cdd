/** Checks of items' SQL: a port of Materialize's SQL lexer and CREATE statement heads. */

export { checkItemSql, checkItemSqlEntries, itemSqlEntry, type ItemSqlEntry } from './check-items.js'
export { parseCreateStatement } from './statement.js'
export { ITEM_TYPE_OF } from './statement-head.js'
