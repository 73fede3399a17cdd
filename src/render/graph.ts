/**
 * `graph`: the object graph as Graphviz DOT (`digraph`), as a Mermaid flowchart, or as data (JSON:
 * `{nodes, edges}`; NDJSON: one `{"type":"node"…}` or `{"type":"edge"…}` record per line).
 *
 * DOT node ids are the graph's `kind:id` keys, quoted; labels say the kind (and item type) and the
 * full name. Mermaid ids allow no punctuation, so there each node is `kind_id`.
 */
import type { JsonObject } from '../json/lossless-json.js'
import type { CatalogGraph, GraphEdge, GraphNode } from '../catalog/names/index.js'
import { jsonArraysDocument, jsonDocument, type JsonFormat } from './json-text.js'

export const GRAPH_SYNTAXES = ['dot', 'mermaid'] as const
export type GraphSyntax = (typeof GRAPH_SYNTAXES)[number]

/** Node shapes by kind (DOT). */
const DOT_SHAPES: Readonly<Record<string, string>> = {
  database: 'cylinder',
  schema: 'folder',
  item: 'box',
  cluster: 'box3d',
  replica: 'component',
  role: 'ellipse',
}

function kindLabel(n: GraphNode): string {
  return n.itemType === undefined ? n.kind : (n.itemType ?? 'item')
}

/** A DOT double-quoted string: backslashes and quotes escaped, newlines as `\n`. */
function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

function dotEdgeStyle(e: GraphEdge): string {
  if (e.kind === 'owns' || e.kind === 'member of') return ', style=dashed, color=gray40'
  if (e.kind === 'contains') return ', color=gray20'
  return ''
}

function* renderDot(g: CatalogGraph): Generator<string> {
  yield 'digraph catalog {\n  rankdir=LR;\n  node [fontname="Helvetica", fontsize=10];\n  edge [fontname="Helvetica", fontsize=8];\n'
  for (const n of g.nodes()) {
    yield `  ${dotString(n.key)} [label=${dotString(`${kindLabel(n)}\n${n.name}`)}, shape=${DOT_SHAPES[n.kind] ?? 'box'}];\n`
  }
  for (const e of g.edges()) yield `  ${dotString(e.from)} -> ${dotString(e.to)} [label=${dotString(e.kind)}${dotEdgeStyle(e)}];\n`
  yield '}\n'
}

function mermaidId(key: string): string {
  return key.replace(/[^A-Za-z0-9]/g, '_')
}

/** Mermaid label text: quotes and the characters Mermaid reads as markup become entity codes. */
function mermaidText(text: string): string {
  return text.replace(/[&"<>#]/g, (c) => `#${c.charCodeAt(0)};`)
}

const MERMAID_SHAPES: Readonly<Record<string, readonly [string, string]>> = {
  database: ['[(', ')]'],
  schema: ['[/', '/]'],
  item: ['[', ']'],
  cluster: ['[[', ']]'],
  replica: ['([', '])'],
  role: ['((', '))'],
}

function* renderMermaid(g: CatalogGraph): Generator<string> {
  yield 'flowchart LR\n'
  for (const n of g.nodes()) {
    const [open, close] = MERMAID_SHAPES[n.kind] ?? ['[', ']']
    yield `  ${mermaidId(n.key)}${open}"${mermaidText(`${kindLabel(n)}: ${n.name}`)}"${close}\n`
  }
  for (const e of g.edges()) {
    const arrow = e.kind === 'owns' || e.kind === 'member of' ? '-.->' : '-->'
    yield `  ${mermaidId(e.from)} ${arrow}|${mermaidText(e.kind)}| ${mermaidId(e.to)}\n`
  }
}

const nodeJson = (n: GraphNode): JsonObject => ({
  key: n.key,
  kind: n.kind,
  id: n.id,
  name: n.name,
  ...(n.itemType === undefined ? {} : { item_type: n.itemType }),
})
const edgeJson = (e: GraphEdge): JsonObject => ({ from: e.from, to: e.to, kind: e.kind })

function* mapped<T>(items: Iterable<T>, f: (t: T) => JsonObject): Generator<JsonObject> {
  for (const t of items) yield f(t)
}

/**
 * The graph's text, piece by piece (a line, or the whole JSON document), so a large graph is
 * written as it is made rather than held as one string.
 */
export function* renderGraph(g: CatalogGraph, format: 'text' | JsonFormat, syntax: GraphSyntax): Generator<string> {
  if (format === 'json') {
    yield* jsonArraysDocument([
      ['nodes', mapped(g.nodes(), nodeJson)],
      ['edges', mapped(g.edges(), edgeJson)],
    ])
  } else if (format === 'ndjson') {
    for (const n of g.nodes()) yield jsonDocument({ type: 'node', ...nodeJson(n) }, 'ndjson')
    for (const e of g.edges()) yield jsonDocument({ type: 'edge', ...edgeJson(e) }, 'ndjson')
  } else yield* syntax === 'dot' ? renderDot(g) : renderMermaid(g)
}
