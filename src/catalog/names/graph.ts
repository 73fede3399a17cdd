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
 * not drawn. With a root, the graph is what a change to the root reaches (see {@link reachFrom}).
 */
import type { CatalogObject, CatalogObjects } from './catalog-objects.js'
import { objectRef, type ObjectRef } from './describe.js'

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

function* allEdges(objects: CatalogObjects): Generator<GraphEdge> {
  const edge = (from: CatalogObject, toKind: string, to: string | null, kind: EdgeKind, reverse = false): GraphEdge[] => {
    if (to === null || objects.get(toKind as CatalogObject['kind'], to) === undefined) return []
    const a = nodeKey(from)
    const b = `${toKind}:${to}`
    return [reverse ? { from: b, to: a, kind } : { from: a, to: b, kind }]
  }
  for (const o of objects.all()) {
    if (o.kind === 'schema') yield* edge(o, 'database', o.database, 'contains', true)
    if (o.kind === 'replica') yield* edge(o, 'cluster', o.cluster, 'contains', true)
    if (o.kind === 'item') {
      yield* edge(o, 'schema', o.schema, 'contains', true)
      yield* edge(o, 'cluster', o.cluster, 'runs in')
      yield* edge(o, 'item', o.indexed, 'indexes')
      for (const r of o.references) if (r.id !== o.indexed) yield* edge(o, 'item', r.id, 'uses')
    }
    if (o.kind === 'role') for (const m of o.memberOf) yield* edge(o, 'role', m.role, 'member of')
    if (o.owner !== null) yield* edge(o, 'role', o.owner, 'owns', true)
  }
}

/**
 * The nodes a change to `root` reaches within `depth` steps: what it contains, what uses it or
 * runs in it, the members of a role and what a role owns (each edge followed from the object
 * changed to the object affected). Each node reached also brings its containers (up to its database
 * or cluster) and its owner, drawn but not followed further, so that the picture says where things
 * are and who owns them.
 */
function reachFrom(edges: readonly GraphEdge[], root: string, depth = Number.POSITIVE_INFINITY): Set<string> {
  const affected = new Map<string, string[]>()
  const containers = new Map<string, string[]>()
  const owners = new Map<string, string[]>()
  const push = (m: Map<string, string[]>, k: string, v: string): void => {
    const list = m.get(k)
    if (list === undefined) m.set(k, [v])
    else list.push(v)
  }
  for (const e of edges) {
    // Which end a change travels to.
    if (e.kind === 'contains' || e.kind === 'owns') push(affected, e.from, e.to)
    else if (e.kind === 'member of') push(affected, e.to, e.from)
    else push(affected, e.to, e.from)
    if (e.kind === 'contains') push(containers, e.to, e.from)
    if (e.kind === 'owns') push(owners, e.to, e.from)
  }
  const reached = new Set([root])
  let frontier = [root]
  for (let step = 0; step < depth && frontier.length > 0; step++) {
    const next: string[] = []
    for (const n of frontier) {
      for (const m of affected.get(n) ?? []) {
        if (reached.has(m)) continue
        reached.add(m)
        next.push(m)
      }
    }
    frontier = next
  }
  const out = new Set(reached)
  const up = [...reached]
  for (let n = up.pop(); n !== undefined; n = up.pop()) {
    for (const c of containers.get(n) ?? []) {
      if (out.has(c)) continue
      out.add(c)
      up.push(c)
    }
  }
  for (const n of [...out]) for (const o of owners.get(n) ?? []) out.add(o)
  return out
}

/** The graph of the catalog's objects, or of what a change to `opts.root` reaches. */
export function buildGraph(objects: CatalogObjects, opts: GraphOptions = {}): CatalogGraph {
  const withoutRoles = opts.withoutRoles === true
  const edges = function* (): Generator<GraphEdge> {
    for (const e of allEdges(objects)) if (!(withoutRoles && (e.kind === 'owns' || e.kind === 'member of'))) yield e
  }
  const keep = opts.root === undefined ? undefined : reachFrom([...edges()], nodeKey(opts.root), opts.depth)
  const kept = objects
    .all()
    .filter((o) => !(withoutRoles && o.kind === 'role' && opts.root?.kind !== 'role') && (keep === undefined || keep.has(nodeKey(o))))
  return {
    nodeCount: kept.length,
    *nodes() {
      for (const o of kept) yield { ...objectRef(objects, o), key: nodeKey(o) }
    },
    *edges() {
      for (const e of edges()) if (keep === undefined || (keep.has(e.from) && keep.has(e.to))) yield e
    },
  }
}
