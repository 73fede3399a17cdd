/**
 * Progress of long work on a terminal: `verifying the catalog: 412,000 of 1,000,000 rows (41 %),
 * 98,000 rows/s, 6 s left` as spinner text on stderr, through the output module's spinner (ora).
 *
 * Shown only where a spinner may be (an interactive stderr; never with --quiet, `NO_COLOR`, `CI`
 * or `TERM=dumb`), only once the work has reported for a second (short work prints nothing), and
 * never while the command streams its data to the same terminal on stdout. The catalog core knows
 * nothing of this: it calls the callback returned here with rows done (and the total when known).
 */
import type { Output } from './output.js'

/** Rows done so far, and the total when it is known. */
export type ProgressCallback = (done: number, total?: number) => void

/** Milliseconds of work before progress is first shown. */
const SHOW_AFTER_MS = 1000
/** Milliseconds between two updates of the text. */
const UPDATE_EVERY_MS = 150

export interface ProgressOptions {
  /** The command writes its data to stdout while it works (then a terminal stdout gets no progress). */
  readonly streamsToStdout?: boolean
  /** What is counted (default `rows`). */
  readonly unit?: string
  /** The clock (ms); tests may fix it. */
  readonly now?: () => number
}

/**
 * A progress callback for `label`; `undefined` when progress cannot be shown at all (cheap for the
 * caller). Loads the spinner first, so that updates draw synchronously.
 */
export async function progressReporter(
  out: Output,
  isStdoutTTY: boolean,
  label: string,
  opts: ProgressOptions = {},
): Promise<ProgressCallback | undefined> {
  if (!out.spinnerAllowed || (opts.streamsToStdout === true && isStdoutTTY)) return undefined
  await out.prepareStatus()
  const now = opts.now ?? (() => performance.now())
  const unit = opts.unit ?? 'rows'
  let started: number | undefined
  let last = 0
  return (done, total) => {
    const t = now()
    started ??= t
    if (t - started < SHOW_AFTER_MS || t - last < UPDATE_EVERY_MS) return
    last = t
    out.status(progressText(label, unit, done, total, (t - started) / 1000))
  }
}

const grouped = new Intl.NumberFormat('en-US')

/** The text of one update (exported for tests). */
export function progressText(label: string, unit: string, done: number, total: number | undefined, seconds: number): string {
  const rate = seconds > 0 ? done / seconds : 0
  let text = `${label}: ${grouped.format(done)}`
  if (total !== undefined && total > 0) {
    const shown = Math.min(done, total)
    text += ` of ${grouped.format(total)} ${unit} (${Math.floor((100 * shown) / total)} %)`
  } else {
    text += ` ${unit}`
  }
  text += `, ${grouped.format(Math.round(rate))} ${unit}/s`
  if (total !== undefined && total > done && rate > 0) text += `, ${formatSeconds((total - done) / rate)} left`
  return text
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`
  const m = Math.floor(s / 60)
  return `${m} min ${Math.ceil(s - 60 * m)} s`
}
