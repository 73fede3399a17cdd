/**
 * Names: from the catalog's ids to the names an operator knows and back, for databases, schemas,
 * items, clusters, replicas and roles; the descriptions `describe` shows, `find`'s search, and the
 * object graph `graph` draws. Read-only: everything is computed from the current contents.
 */
export { readCatalogObjectsAt } from './load-objects.js'
export type { CatalogObjects } from './catalog-objects.js'
export { parseKind, resolveObject } from './resolve.js'
export {
  describeObject,
  type Description,
  type MembershipView,
  type ObjectRef,
  type PrivilegeView,
  type ReplicaView,
  type RoleRef,
} from './describe.js'
export { findObjects } from './find.js'
export { buildGraph, type CatalogGraph, type GraphEdge, type GraphNode } from './graph.js'
