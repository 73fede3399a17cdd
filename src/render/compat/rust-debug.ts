/**
 * Rust's `Debug` formatting, for the Materialize-compatible output: a small tree of what a derived
 * `Debug` impl emits (structs, tuple structs and enum variants, lists, and leaf text) and
 * its two renderings, `{:?}` (compact) and `{:#?}` (pretty).
 *
 * The pretty form follows `core::fmt::builders`: a struct prints `Name {`, one `field: value,`
 * line per field indented by four spaces (nested lines too, as `PadAdapter` does), then `}`; a
 * tuple prints `Name(`, one `value,` line per item, `)`; a list `[`…`]`. Empty forms: a struct or tuple without fields prints its name alone, an
 * empty list `[]`. A struct named `""` prints ` {` (Materialize's `Dumped`).
 */

/** One value as a derived `Debug` impl sees it. */
export type DebugNode =
  | { readonly t: 'struct'; readonly name: string; readonly fields: readonly (readonly [string, DebugNode])[] }
  | { readonly t: 'tuple'; readonly name: string; readonly items: readonly DebugNode[] }
  | { readonly t: 'list'; readonly items: readonly DebugNode[] }
  | { readonly t: 'leaf'; readonly text: string }

export const leaf = (text: string): DebugNode => ({ t: 'leaf', text })
export const struct = (name: string, fields: readonly (readonly [string, DebugNode])[]): DebugNode => ({ t: 'struct', name, fields })
export const tuple = (name: string, items: readonly DebugNode[]): DebugNode => ({ t: 'tuple', name, items })
export const list = (items: readonly DebugNode[]): DebugNode => ({ t: 'list', items })

/** `Some(x)` / `None`. */
export const option = (inner: DebugNode | null): DebugNode => (inner === null ? leaf('None') : tuple('Some', [inner]))

/** `{:#?}`: the pretty form. `pad` is the indentation of the line the value starts on. */
export function prettyDebug(node: DebugNode, pad = ''): string {
  const inner = `${pad}    `
  switch (node.t) {
    case 'leaf':
      return node.text
    case 'struct':
      if (node.fields.length === 0) return node.name
      return `${node.name} {\n${node.fields.map(([k, v]) => `${inner}${k}: ${prettyDebug(v, inner)},\n`).join('')}${pad}}`
    case 'tuple':
      if (node.items.length === 0) return node.name
      return `${node.name}(\n${node.items.map((v) => `${inner}${prettyDebug(v, inner)},\n`).join('')}${pad})`
    case 'list':
      if (node.items.length === 0) return '[]'
      return `[\n${node.items.map((v) => `${inner}${prettyDebug(v, inner)},\n`).join('')}${pad}]`
  }
}

/** `{:?}`: the compact form. */
export function compactDebug(node: DebugNode): string {
  switch (node.t) {
    case 'leaf':
      return node.text
    case 'struct':
      if (node.fields.length === 0) return node.name
      return `${node.name} { ${node.fields.map(([k, v]) => `${k}: ${compactDebug(v)}`).join(', ')} }`
    case 'tuple':
      if (node.items.length === 0) return node.name
      return `${node.name}(${node.items.map(compactDebug).join(', ')})`
    case 'list':
      return `[${node.items.map(compactDebug).join(', ')}]`
  }
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u
const GRAPHEME_EXTEND = /\p{Grapheme_Extend}/u

/**
 * A string as Rust's `<str as Debug>` prints it: in double quotes, with `\0 \t \r \n \\ \"`
 * escaped, and `\u{…}` (lower-case hex) for characters Rust does not consider printable and for
 * grapheme extenders (combining marks; `Debug` escapes them wherever they are). Rust's printable table is approximated by the Unicode general
 * categories it is built from (controls, format characters, surrogates, private use, unassigned,
 * line and paragraph separators); `'` is not escaped in a string.
 */
export function rustStr(s: string): string {
  let out = '"'
  for (const ch of s) {
    switch (ch) {
      case '\0':
        out += '\\0'
        break
      case '\t':
        out += '\\t'
        break
      case '\r':
        out += '\\r'
        break
      case '\n':
        out += '\\n'
        break
      case '\\':
        out += '\\\\'
        break
      case '"':
        out += '\\"'
        break
      default:
        if (NOT_PRINTABLE.test(ch) || GRAPHEME_EXTEND.test(ch)) {
          out += `\\u{${(ch.codePointAt(0) as number).toString(16)}}`
        } else {
          out += ch
        }
    }
  }
  return `${out}"`
}
