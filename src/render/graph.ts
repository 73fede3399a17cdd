/**
 * `graph`: the object graph as Graphviz DOT (`digraph`), as a Mermaid flowchart, or as data (JSON:
 * `{nodes, edges}`; NDJSON: one `{"type":"node"…}` or `{"type":"edge"…}` record per line).
 *
 * DOT node ids are the graph's `kind:id` keys, quoted; labels say the kind (and item type) and the
 * full name. Mermaid ids allow no punctuation, so there each node is `kind_id`.
 */
import type { JsonObject } from '../json/lossless-json.js'
import type { CatalogGraph, GraphEdge, GraphNode } from '../catalog/names/index.js'
import { jsonDocument, type JsonFormat } from './json-text.js'

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

function renderDot(g: CatalogGraph): string {
  const lines = [
    'digraph catalog {',
    '  rankdir=LR;',
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=8];',
  ]
  for (const n of g.nodes) {
    lines.push(`  ${dotString(n.key)} [label=${dotString(`${kindLabel(n)}\n${n.name}`)}, shape=${DOT_SHAPES[n.kind] ?? 'box'}];`)
  }
  for (const e of g.edges) lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [label=${dotString(e.kind)}${dotEdgeStyle(e)}];`)
  lines.push('}')
  return `${lines.join('\n')}\n`
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

function renderMermaid(g: CatalogGraph): string {
  const lines = ['flowchart LR']
  for (const n of g.nodes) {
    const [open, close] = MERMAID_SHAPES[n.kind] ?? ['[', ']']
    lines.push(`  ${mermaidId(n.key)}${open}"${mermaidText(`${kindLabel(n)}: ${n.name}`)}"${close}`)
  }
  for (const e of g.edges) {
    const arrow = e.kind === 'owns' || e.kind === 'member of' ? '-.->' : '-->'
    lines.push(`  ${mermaidId(e.from)} ${arrow}|${mermaidText(e.kind)}| ${mermaidId(e.to)}`)
  }
  return `${lines.join('\n')}\n`
}

const nodeJson = (n: GraphNode): JsonObject => ({
  key: n.key,
  kind: n.kind,
  id: n.id,
  name: n.name,
  ...(n.itemType === undefined ? {} : { item_type: n.itemType }),
})
const edgeJson = (e: GraphEdge): JsonObject => ({ from: e.from, to: e.to, kind: e.kind })

export function renderGraph(g: CatalogGraph, format: 'text' | JsonFormat, syntax: GraphSyntax): string {
  if (format === 'json') return jsonDocument({ nodes: g.nodes.map(nodeJson), edges: g.edges.map(edgeJson) }, 'json')
  if (format === 'ndjson')
    return [
      ...g.nodes.map((n) => jsonDocument({ type: 'node', ...nodeJson(n) }, 'ndjson')),
      ...g.edges.map((e) => jsonDocument({ type: 'edge', ...edgeJson(e) }, 'ndjson')),
    ].join('')
  return syntax === 'dot' ? renderDot(g) : renderMermaid(g)
}
