/**
 * The readable form of a catalog diff (`catalog-debug diff` with text output).
 *
 * Per collection: added keys (`+`, with their value), removed keys (`-`), changed keys (`~`, with
 * jsondiffpatch's console rendering of the value delta: `size: "1" => "2"`). Colour only when the
 * caller says so; jsondiffpatch's own colour detection (which looks at the process's stdout) is
 * overridden, so the same data renders the same way in tests, pipes and terminals.
 */

import ConsoleFormatter from 'jsondiffpatch/formatters/console'
import { displayJson, type JsonValue } from '../json/lossless-json.js'
import type { CatalogDiff, KeyChange } from '../catalog/diff/diff-catalogs.js'
import { decodeDiffText, valueDelta } from '../catalog/diff/value-delta.js'

export interface DiffTextOptions {
  /** ANSI colour (red removed, green added, yellow moved). Default false. */
  readonly color?: boolean
  /** Labels of the two sides for the header line (e.g. file names). */
  readonly labels?: readonly [string, string]
}

const ANSI = {
  red: ['\u001b[31m', '\u001b[39m'],
  green: ['\u001b[32m', '\u001b[39m'],
  yellow: ['\u001b[33m', '\u001b[39m'],
  gray: ['\u001b[90m', '\u001b[39m'],
  bold: ['\u001b[1m', '\u001b[22m'],
} as const

type Brush = (value: unknown) => string

function brush(color: boolean, style: keyof typeof ANSI): Brush {
  const [open, close] = ANSI[style]
  return color ? (v) => open + String(v).split('\n').join(`${close}\n${open}`) + close : (v) => String(v)
}

/** jsondiffpatch's console formatter with brushes chosen by the caller instead of the environment. */
class DeltaFormatter extends ConsoleFormatter {
  constructor(color: boolean) {
    super()
    const brushes = {
      added: brush(color, 'green'),
      deleted: brush(color, 'red'),
      movedestination: brush(color, 'gray'),
      moved: brush(color, 'yellow'),
      unchanged: brush(color, 'gray'),
      error: brush(color, 'red'),
      textDiffLine: brush(color, 'gray'),
      context: undefined,
      modified: undefined,
      textdiff: undefined,
      node: undefined,
      unknown: undefined,
    }
    Object.assign(this, { brushes })
  }
}

const formatters = new Map<boolean, DeltaFormatter>()

/** The console rendering of the change from `before` to `after` ('' when equal). */
export function renderValueDelta(before: JsonValue, after: JsonValue, color = false): string {
  const delta = valueDelta(before, after)
  if (delta === undefined) return ''
  let f = formatters.get(color)
  if (f === undefined) {
    f = new DeltaFormatter(color)
    formatters.set(color, f)
  }
  return decodeDiffText(f.format(delta) ?? '')
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : pad + l))
    .join('\n')
}

function counts(added: number, removed: number, changed: number): string {
  const parts: string[] = []
  if (added > 0) parts.push(`${added} added`)
  if (removed > 0) parts.push(`${removed} removed`)
  if (changed > 0) parts.push(`${changed} changed`)
  return parts.length === 0 ? 'no differences' : parts.join(', ')
}

function valueText(k: KeyChange, side: 'before' | 'after'): string {
  const values = side === 'before' ? k.beforeValues : k.afterValues
  if (values !== undefined) {
    return values.map((v) => `(multiplicity ${v.diff}) ${displayJson(v.value)}`).join('\n')
  }
  const v = k[side]
  return v === undefined || v === null ? '' : displayJson(v, 2)
}

/** Renders a diff as text, ending with a newline. Equal catalogs render as `no differences\n`. */
export function renderDiffText(diff: CatalogDiff, opts: DiffTextOptions = {}): string {
  const color = opts.color ?? false
  const red = brush(color, 'red')
  const green = brush(color, 'green')
  const bold = brush(color, 'bold')
  const lines: string[] = []
  if (opts.labels !== undefined) lines.push(`${red(`--- ${opts.labels[0]}`)}`, `${green(`+++ ${opts.labels[1]}`)}`)
  if (diff.epoch !== undefined) {
    lines.push(`${bold('epoch')}: ${red(displayJson(diff.epoch.before))} => ${green(displayJson(diff.epoch.after))}`)
  }
  for (const c of diff.collections) {
    lines.push(`${bold(c.collection)}: ${counts(c.added.length, c.removed.length, c.changed.length)}`)
    for (const k of c.removed) {
      lines.push(red(`  - ${k.keyText}`))
      const v = valueText(k, 'before')
      if (v !== '') lines.push(red(indent(v, '      ')))
    }
    for (const k of c.added) {
      lines.push(green(`  + ${k.keyText}`))
      const v = valueText(k, 'after')
      if (v !== '') lines.push(green(indent(v, '      ')))
    }
    for (const k of c.changed) {
      lines.push(`  ~ ${k.keyText}`)
      if (k.beforeValues !== undefined || k.afterValues !== undefined) {
        lines.push(red(indent(valueText(k, 'before'), '      ')))
        lines.push(green(indent(valueText(k, 'after'), '      ')))
      } else {
        lines.push(indent(renderValueDelta(k.before as JsonValue, k.after as JsonValue, color).replace(/\n+$/, ''), '    '))
      }
    }
  }
  lines.push(
    counts(diff.summary.added, diff.summary.removed, diff.summary.changed) +
      (diff.epoch !== undefined ? (diff.collections.length > 0 ? ', epoch changed' : '; epoch changed') : ''),
  )
  return `${lines.join('\n')}\n`
}
