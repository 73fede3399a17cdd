/** Checks of items' SQL: a port of Materialize's SQL lexer and CREATE statement heads. */

export {
  checkItemSql,
  ITEM_SQL_PROBLEMS,
  type CatalogRow,
  type ItemSqlFinding,
  type ItemSqlInput,
  type ItemSqlProblem,
} from './check-items.js'
