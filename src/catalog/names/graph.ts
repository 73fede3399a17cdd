/**
 * `graph`: the catalog's objects as a directed graph. Edges, each from the object that holds or
 * uses to the object held or used:
 *
 * - `contains`: database → schema, schema → item, cluster → replica
 * - `runs in`: item → its cluster (`IN CLUSTER`)
 * - `indexes`: index → the relation it indexes
 * - `uses`: item → an item its `create_sql` refers to (other than an index's relation)
 * - `owns`: role → object it owns
 * - `member of`: role → a role it belongs to
 *
 * Items the SQL refers to that the catalog does not hold (builtins such as `pg_catalog.int4`) are
 * not drawn. With a root, the graph is what a change to the root reaches (see `reach.ts`).
 */
import type { CatalogObject, CatalogObjects, ObjectHead, ObjectKind } from './catalog-objects.js'
import { objectRef, type ObjectRef } from './describe.js'
import type { Scan } from './object-index.js'
import { isReached, markReached } from './reach.js'

const EDGE_KINDS = ['contains', 'runs in', 'indexes', 'uses', 'owns', 'member of'] as const
type EdgeKind = (typeof EDGE_KINDS)[number]

export interface GraphNode extends ObjectRef {
  /** `kind:id`, unique in the graph. */
  readonly key: string
}

export interface GraphEdge {
  /** Node keys. */
  readonly from: string
  readonly to: string
  readonly kind: EdgeKind
}

/**
 * A graph whose nodes and edges are made as they are read (each call reads them afresh), so a
 * graph of a whole large catalog is never held at once.
 */
export interface CatalogGraph {
  /** Counted on each read, by reading the nodes again. */
  readonly nodeCount: number
  /** The nodes, kind by kind, each kind in id order. */
  nodes(): Iterable<GraphNode>
  edges(): Iterable<GraphEdge>
}

export interface GraphOptions {
  /** Draw only what a change to this object reaches. */
  readonly root?: CatalogObject
  /** With a root: how many steps to follow from it (default: all). */
  readonly depth?: number
  /** Leave out roles and the `owns` and `member of` edges. */
  readonly withoutRoles?: boolean
}

function nodeKey(o: { kind: string; id: string }): string {
  return `${o.kind}:${o.id}`
}

/**
 * The edges of one object, in the order they are drawn: its container's `contains`, an item's
 * `runs in`, `indexes` and `uses`, a role's `member of`, then its owner's `owns`. An edge to an
 * object the catalog does not hold is left out.
 */
function* edgesOf(objects: CatalogObjects, o: ObjectHead): Generator<GraphEdge> {
  const edge = (toKind: ObjectKind, to: string | null, kind: EdgeKind, reverse = false): GraphEdge[] => {
    if (to === null || !objects.has(toKind, to)) return []
    const a = nodeKey(o)
    const b = `${toKind}:${to}`
    return [reverse ? { from: b, to: a, kind } : { from: a, to: b, kind }]
  }
  if (o.kind === 'schema') yield* edge('database', o.database, 'contains', true)
  if (o.kind === 'replica') yield* edge('cluster', o.cluster, 'contains', true)
  if (o.kind === 'item') {
    yield* edge('schema', o.schema, 'contains', true)
    yield* edge('cluster', o.cluster, 'runs in')
    yield* edge('item', o.indexed, 'indexes')
    for (const target of objects.index.referencedItems(o.id))
      if (target !== o.indexed) yield { from: nodeKey(o), to: `item:${target}`, kind: 'uses' }
  }
  if (o.kind === 'role') for (const role of objects.index.memberships(o.id)) yield* edge('role', role, 'member of')
  if (o.owner !== null) yield* edge('role', o.owner, 'owns', true)
}

const ROLE_EDGES: ReadonlySet<EdgeKind> = new Set(['owns', 'member of'])

/**
 * The graph of the catalog's objects, or of what a change to `opts.root` reaches (worked out in the
 * on-disk index, see `reach.ts`). Nodes and edges are read from the index in id order as they
 * are drawn; with a root, only the objects reached are read, and an edge is drawn when its other
 * end was reached too.
 */
export function buildGraph(objects: CatalogObjects, opts: GraphOptions = {}): CatalogGraph {
  const withoutRoles = opts.withoutRoles === true
  const root = opts.root
  if (root !== undefined) markReached(objects.index, root, { depth: opts.depth, followRoles: !withoutRoles })
  const scan: Scan = root === undefined ? { all: true } : { reached: true }
  const drawn = (o: ObjectHead): boolean => !(withoutRoles && o.kind === 'role' && root?.kind !== 'role')
  const reached = (key: string): boolean => {
    const colon = key.indexOf(':')
    return isReached(objects.index, key.slice(0, colon) as ObjectKind, key.slice(colon + 1))
  }
  return {
    get nodeCount() {
      let n = 0
      for (const o of objects.scan(scan)) if (drawn(o)) n++
      return n
    },
    *nodes() {
      for (const o of objects.scan(scan)) if (drawn(o)) yield { ...objectRef(objects, o), key: nodeKey(o) }
    },
    *edges() {
      for (const o of objects.scan(scan)) {
        for (const e of edgesOf(objects, o)) {
          if (withoutRoles && ROLE_EDGES.has(e.kind)) continue
          // One end is `o`, reached; the other is checked.
          if (root !== undefined && !reached(e.from === nodeKey(o) ? e.to : e.from)) continue
          yield e
        }
      }
    },
  }
}
