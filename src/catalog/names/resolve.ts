/**
 * From what an operator types to an object: a kind word (`cluster`, `table`, `mv`, …) and a name
 * (`serving`, `analytics.marts.daily_revenue`, `marts.daily_revenue`, `serving.r1`, an id `u3`).
 *
 * A name may leave out its leading qualifiers (`daily_revenue` for `analytics.marts.daily_revenue`);
 * when that leaves several objects, the name is ambiguous: a usage error listing each one with its
 * id, so the operator can qualify it. A part holding dots or quotes is double-quoted, as in SQL
 * (`"my.db".public.t`). Role names are never split (`ada@acme.com`). An id matches within the kind.
 */
import { NotFoundError, UsageError } from '../../errors.js'
import type { CatalogObject, CatalogObjects, ObjectHead, ObjectKind } from './catalog-objects.js'
import { closestMatches, didYouMean } from './closest.js'

/** A kind as typed: an object kind, narrowed to one item type for `table`, `view`, … */
export interface KindSpec {
  readonly kind: ObjectKind
  readonly itemType?: string
  /** The word as the operator should read it in messages (`materialized view`). */
  readonly label: string
}

const ITEM_TYPES: readonly (readonly [words: readonly string[], itemType: string, label: string])[] = [
  [['table', 'tables'], 'Table', 'table'],
  [['view', 'views'], 'View', 'view'],
  [['materialized-view', 'materialized-views', 'materialized_view', 'mv'], 'MaterializedView', 'materialized view'],
  [['source', 'sources'], 'Source', 'source'],
  [['sink', 'sinks'], 'Sink', 'sink'],
  [['index', 'indexes'], 'Index', 'index'],
  [['secret', 'secrets'], 'Secret', 'secret'],
  [['connection', 'connections'], 'Connection', 'connection'],
  [['type', 'types'], 'Type', 'type'],
]

const KIND_WORDS: ReadonlyMap<string, KindSpec> = new Map<string, KindSpec>([
  ...(['database', 'databases', 'db'] as const).map((w) => [w, { kind: 'database', label: 'database' }] as const),
  ...(['schema', 'schemas'] as const).map((w) => [w, { kind: 'schema', label: 'schema' }] as const),
  ...(['item', 'items'] as const).map((w) => [w, { kind: 'item', label: 'item' }] as const),
  ...(['cluster', 'clusters'] as const).map((w) => [w, { kind: 'cluster', label: 'cluster' }] as const),
  ...(['replica', 'replicas', 'cluster-replica'] as const).map((w) => [w, { kind: 'replica', label: 'replica' }] as const),
  ...(['role', 'roles'] as const).map((w) => [w, { kind: 'role', label: 'role' }] as const),
  ...ITEM_TYPES.flatMap(([words, itemType, label]) => words.map((w) => [w, { kind: 'item', itemType, label }] as const)),
])

/** The kind words in the order help and completion list them (singular forms). */
export const KIND_NAMES: readonly string[] = [
  'database',
  'schema',
  'item',
  'cluster',
  'replica',
  'role',
  ...ITEM_TYPES.map(([words]) => words[0]!),
]

/** Parses a kind word (case-insensitive); a usage error naming the valid ones otherwise. */
export function parseKind(word: string): KindSpec {
  const spec = KIND_WORDS.get(word.toLowerCase())
  if (spec !== undefined) return spec
  const hint = didYouMean(word, KIND_NAMES)
  throw new UsageError(`unknown kind "${word}", expected one of: ${KIND_NAMES.join(', ')}`, {
    code: 'unknown-kind',
    ...(hint === undefined ? {} : { hint }),
  })
}

/**
 * Splits a qualified name on the dots outside double quotes; a quoted part loses its quotes
 * (`""` inside stands for one quote). An unterminated quote or an empty part is a usage error.
 */
export function splitName(text: string): string[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  let sawQuote = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        current += '"'
        i++
      } else if (c === '"') quoted = false
      else current += c
    } else if (c === '"') {
      quoted = true
      sawQuote = true
    } else if (c === '.') {
      parts.push(current)
      current = ''
    } else current += c
  }
  if (quoted) throw new UsageError(`unterminated quote in the name ${text}`, { code: 'invalid-name' })
  parts.push(current)
  if (parts.some((p) => p === '') && !(sawQuote && parts.length === 1)) {
    throw new UsageError(`invalid name "${text}": empty part`, { code: 'invalid-name' })
  }
  return parts
}

function wanted(spec: KindSpec, o: ObjectHead): boolean {
  return spec.itemType === undefined || (o.kind === 'item' && o.itemType === spec.itemType)
}

/**
 * The objects `text` names: by id, by full name, or by a name missing leading qualifiers. When a
 * full name matches, shorter matches are dropped (`mz_internal` is the ambient schema, even should
 * a database hold a schema of that name too). Empty when nothing matches. Only objects whose name
 * is the last part (or whose id is the text) are read from the index.
 */
function matchObjects(objects: CatalogObjects, spec: KindSpec, text: string): ObjectHead[] {
  if (spec.kind === 'role') return objects.index.named('role', text, text).filter((o) => wanted(spec, o))
  const parts = splitName(text)
  const full: ObjectHead[] = []
  const partial: ObjectHead[] = []
  for (const o of objects.index.named(spec.kind, parts.at(-1)!, text)) {
    if (!wanted(spec, o)) continue
    if (o.id === text) {
      full.push(o)
      continue
    }
    const path = objects.path(o)
    if (parts.length > path.length) continue
    const tail = path.slice(path.length - parts.length)
    if (!tail.every((p, i) => p === parts[i])) continue
    ;(parts.length === path.length ? full : partial).push(o)
  }
  return full.length > 0 ? full : partial
}

/** Every name of the objects `spec` selects (full, then short), read one at a time. */
function* namesOf(objects: CatalogObjects, spec: KindSpec): Generator<string> {
  for (const o of objects.scan({ kind: spec.kind })) {
    if (!wanted(spec, o)) continue
    yield objects.fullName(o)
    yield o.name
  }
}

/**
 * The one object `text` names. Throws {@link NotFoundError} (`object-not-found`, with the closest
 * names as a hint) when none does, and a {@link UsageError} (`ambiguous-name`, listing every match
 * with its id) when several do.
 */
export function resolveObject(objects: CatalogObjects, spec: KindSpec, text: string): CatalogObject {
  const found = matchObjects(objects, spec, text)
  if (found.length === 1) return objects.get(found[0]!.kind, found[0]!.id)!
  if (found.length > 1) {
    const list = found.map((o) => `${objects.fullName(o)} (${o.id})`).join(', ')
    throw new UsageError(`${spec.label} name "${text}" is ambiguous: it names ${list}`, {
      code: 'ambiguous-name',
      hint: 'qualify the name (database.schema.item, cluster.replica) or give the id',
      details: { matches: found.map((o) => ({ id: o.id, name: objects.fullName(o) })) },
    })
  }
  const close = closestMatches(text, namesOf(objects, spec))
  throw new NotFoundError(`no ${spec.label} named "${text}"`, {
    code: 'object-not-found',
    hint: close.length > 0 ? `did you mean ${close.join(' or ')}?` : `find one with \`catalog-debug find ${text}\``,
  })
}
