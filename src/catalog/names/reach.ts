/**
 * What a change to an object reaches, worked out in the on-disk index (`object-index.ts`) as a
 * breadth-first walk by queries: a `reached` table holds each object found with the step it was
 * found at, and each step inserts, in one statement per kind of edge, the objects one edge away
 * from the last step's. The walk follows each edge from the object changed to the object affected:
 * what an object contains, what uses it, indexes it or runs in it, what a role owns and the roles
 * that are its members. Each object reached also brings its containers (up to its database or
 * cluster) and its owner, drawn but not followed further, so that the picture says where things
 * are and who owns them. Nothing of it is held in memory.
 */
import { OBJECT_KINDS, type ObjectHead, type ObjectKind } from './catalog-objects.js'
import type { ObjectIndex } from './object-index.js'

const [DATABASE, SCHEMA, ITEM, CLUSTER, REPLICA, ROLE] = OBJECT_KINDS.map((_, i) => i) as [number, number, number, number, number, number]

/** One statement per kind of edge: the objects one step from those reached at step `@step`, at the next step. */
const STEPS = [
  // contains: a database's schemas, a schema's items, a cluster's replicas.
  `SELECT o.rank, o.id FROM reached r JOIN objects o ON o.parent = r.id AND o.rank = ${SCHEMA} WHERE r.step = @step AND r.rank = ${DATABASE}`,
  `SELECT o.rank, o.id FROM reached r JOIN objects o ON o.parent = r.id AND o.rank = ${ITEM} WHERE r.step = @step AND r.rank = ${SCHEMA}`,
  `SELECT o.rank, o.id FROM reached r JOIN objects o ON o.parent = r.id AND o.rank = ${REPLICA} WHERE r.step = @step AND r.rank = ${CLUSTER}`,
  // runs in: the items running in a cluster.
  `SELECT o.rank, o.id FROM reached r JOIN objects o ON o.cluster = r.id AND o.rank = ${ITEM} WHERE r.step = @step AND r.rank = ${CLUSTER}`,
  // indexes: the indexes of a relation.
  `SELECT o.rank, o.id FROM reached r JOIN objects o ON o.indexed = r.id AND o.rank = ${ITEM} WHERE r.step = @step AND r.rank = ${ITEM}`,
  // uses: the items whose SQL refers to an item (other than an index's own relation).
  `SELECT o.rank, o.id FROM reached r JOIN links l ON l.rank = ${ITEM} AND l.target = r.id
     JOIN objects o ON o.rank = ${ITEM} AND o.id = l.source
     WHERE r.step = @step AND r.rank = ${ITEM} AND o.indexed IS NOT l.target`,
]
const ROLE_STEPS = [
  // owns: what a role owns.
  `SELECT o.rank, o.id FROM reached r JOIN objects o ON o.owner = r.id WHERE r.step = @step AND r.rank = ${ROLE}`,
  // member of: the roles that are members of a role.
  `SELECT l.rank, l.source FROM reached r JOIN links l ON l.rank = ${ROLE} AND l.target = r.id WHERE r.step = @step AND r.rank = ${ROLE}`,
]

/** Step number of the containers and owners added for context. */
const CONTEXT = -1

/** A container: the objects of `child` rank bring the `parent` rank object their `parent` column names. */
function containers(child: number, parent: number): string {
  return `INSERT OR IGNORE INTO reached SELECT ${parent}, o.parent, ${CONTEXT} FROM reached r
    JOIN objects o ON o.rank = r.rank AND o.id = r.id
    WHERE r.rank = ${child} AND EXISTS (SELECT 1 FROM objects c WHERE c.rank = ${parent} AND c.id = o.parent)`
}

export interface ReachOptions {
  /** How many steps to follow from the root (default: all). */
  readonly depth?: number | undefined
  /** Follow `owns` and `member of` (and add owners). */
  readonly followRoles: boolean
}

/** Fills the index's `reached` table with what a change to `root` reaches (replacing any earlier walk). */
export function markReached(index: ObjectIndex, root: ObjectHead, opts: ReachOptions): void {
  index.exec(
    'DROP TABLE IF EXISTS reached; CREATE TABLE reached (rank INTEGER NOT NULL, id TEXT NOT NULL, step INTEGER NOT NULL, PRIMARY KEY (rank, id)) WITHOUT ROWID; CREATE INDEX reached_by_step ON reached (step, rank)',
  )
  index.run('INSERT INTO reached VALUES (?, ?, 0)', OBJECT_KINDS.indexOf(root.kind), root.id)
  const steps = opts.followRoles ? [...STEPS, ...ROLE_STEPS] : STEPS
  const depth = opts.depth ?? Number.POSITIVE_INFINITY
  for (let step = 0; step < depth; step++) {
    for (const select of steps) index.run(`INSERT OR IGNORE INTO reached SELECT *, @step + 1 FROM (${select})`, { step })
    if (index.count('SELECT COUNT(*) FROM reached WHERE step = ?', step + 1) === 0) break
  }
  // Containers, outermost last so that each brings its own: items' schemas, then schemas'
  // databases; replicas' clusters.
  index.run(containers(ITEM, SCHEMA))
  index.run(containers(SCHEMA, DATABASE))
  index.run(containers(REPLICA, CLUSTER))
  if (opts.followRoles) {
    index.run(`INSERT OR IGNORE INTO reached SELECT ${ROLE}, o.owner, ${CONTEXT} FROM reached r
      JOIN objects o ON o.rank = r.rank AND o.id = r.id
      WHERE o.owner IS NOT NULL AND EXISTS (SELECT 1 FROM objects w WHERE w.rank = ${ROLE} AND w.id = o.owner)`)
  }
}

/** Whether the last walk reached (or added for context) the object. */
export function isReached(index: ObjectIndex, kind: ObjectKind, id: string): boolean {
  return index.count('SELECT COUNT(*) FROM reached WHERE rank = ? AND id = ?', OBJECT_KINDS.indexOf(kind), id) > 0
}
