/** Checks of items' SQL: a port of Materialize's SQL lexer and CREATE statement heads. */

export { checkItemSql } from './check-items.js'
