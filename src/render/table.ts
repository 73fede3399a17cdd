/**
 * Plain text tables, borderless so a column can be copied as it is and golden files stay
 * readable. Never coloured: tables go to stdout as data. Trailing padding is trimmed.
 *
 * Small tables are laid out by cli-table3. Its layout costs grow with the square of the rows
 * (5,000 rows took 5.8 s, a `history` of 23,000 versions 14 s), so a table of more than
 * {@link LAYOUT_ROWS} rows is laid out here in one pass over the cells instead: the same columns,
 * padded to the widest cell and separated by two spaces.
 */
import Table from 'cli-table3'

/** Rows above which a table is laid out in one pass instead of by cli-table3. */
export const LAYOUT_ROWS = 500

const NO_BORDERS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
}

/** Renders `rows` under `head`, columns left-aligned and separated by two spaces; ends with a newline. */
export function renderTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length > LAYOUT_ROWS) {
    const text = renderFlatTable(head, rows)
    if (text !== undefined) return text
  }
  return renderCliTable(head, rows)
}

/** The table as cli-table3 lays it out (exported so tests can compare the two layouts). */
export function renderCliTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const table = new Table({
    head: [...head],
    chars: NO_BORDERS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
  })
  for (const r of rows) table.push([...r])
  return `${table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')}\n`
}

/**
 * The one-pass layout: column widths first, then one line per row. `undefined` when a cell spans
 * several lines (cli-table3 then lays the table out; no caller's cells do).
 */
export function renderFlatTable(head: readonly string[], rows: readonly (readonly string[])[]): string | undefined {
  const widths = flatTableWidths(head, rows)
  return widths === undefined ? undefined : [...flatTableLines(head, widths, rows)].join('')
}

/**
 * {@link renderTable} of `count` rows that `rows` produces on each call, in chunks of lines (each
 * ending with a newline), holding no row longer than it takes to lay it out: a large table is
 * read twice, once for its column widths and once for its lines. The text is the same.
 */
export function* tableChunks(
  head: readonly string[],
  rows: () => Iterable<readonly string[]>,
  count: number,
  chunkRows = 256,
): Generator<string> {
  const widths = count > LAYOUT_ROWS ? flatTableWidths(head, rows()) : undefined
  if (widths === undefined) {
    yield renderCliTable(head, [...rows()])
    return
  }
  let chunk: string[] = []
  for (const line of flatTableLines(head, widths, rows())) {
    chunk.push(line)
    if (chunk.length === chunkRows) {
      yield chunk.join('')
      chunk = []
    }
  }
  if (chunk.length > 0) yield chunk.join('')
}

/** The widths of the one-pass layout: each column's widest cell; `undefined` when a cell spans lines. */
function flatTableWidths(head: readonly string[], rows: Iterable<readonly string[]>): number[] | undefined {
  const widths = head.map(displayWidth)
  for (const row of rows) {
    for (let c = 0; c < head.length; c++) {
      const cell = row[c] ?? ''
      if (cell.includes('\n')) return undefined
      const w = displayWidth(cell)
      if (w > (widths[c] as number)) widths[c] = w
    }
  }
  return widths
}

/** The lines of the one-pass layout (the heading, then one per row), each with its newline. */
function* flatTableLines(head: readonly string[], widths: readonly number[], rows: Iterable<readonly string[]>): Generator<string> {
  const line = (cells: readonly string[]): string => {
    let text = ''
    for (let c = 0; c < head.length; c++) {
      const cell = cells[c] ?? ''
      text += c === head.length - 1 ? cell : `${cell}${' '.repeat((widths[c] as number) - displayWidth(cell) + 2)}`
    }
    return `${text.trimEnd()}\n`
  }
  yield line(head)
  for (const row of rows) yield line(row)
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cc}\p{Emoji_Modifier}]$/u
// biome-ignore lint/complexity/useRegexLiterals: the `v` flag is newer than the compiler's target, so the pattern is built at run time
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v')
const graphemes = new Intl.Segmenter()
const HALF_WIDTH = /^[\uff61-\uff9f]$/u
const WIDE = /^[\p{scx=Han}\p{scx=Hangul}\p{scx=Hiragana}\p{scx=Katakana}\u3000-\u303f\uff01-\uff60\uffe0-\uffe6\p{Emoji_Presentation}]$/u

/**
 * Terminal columns of `text`, as cli-table3 counts them for the characters catalog data holds:
 * two per emoji (a whole sequence, such as a flag, is one) and per East Asian wide character, none
 * for combining marks and control characters, one for any other character.
 */
function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length
  let width = 0
  for (const { segment } of graphemes.segment(text)) {
    if (RGI_EMOJI.test(segment)) width += 2
    else for (const ch of segment) width += ZERO_WIDTH.test(ch) ? 0 : WIDE.test(ch) && !HALF_WIDTH.test(ch) ? 2 : 1
  }
  return width
}
