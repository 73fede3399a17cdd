/**
 * The one output module: data goes to stdout, everything else (messages, warnings, diffs,
 * progress, errors) to stderr. Nothing else in catalog-debug writes to a stream or uses
 * `console.*`.
 *
 * Colour: off when the stream is not a terminal, `NO_COLOR` is set, `TERM=dumb`,
 * `FORCE_COLOR=0` or `--no-color`; `--color` or `FORCE_COLOR` forces it on. Each run gets its own
 * chalk instances, so the global chalk state (which ignores NO_COLOR) plays no part. chalk itself
 * loads only when a stream takes colour ({@link Output.loadColor}); until then, and for a stream
 * without colour, a stand-in returns every text unchanged, as chalk does at level 0.
 *
 * Spinner: an ora spinner on stderr, only when stderr is an interactive terminal, `TERM` is not
 * dumb, `NO_COLOR` and `CI` are unset, `--quiet` is off and the terminal reports a width (not 0
 * columns). Without it, retries are reported as
 * one plain line each.
 */
import { once } from 'node:events'
import type { ChalkInstance } from 'chalk'
import type { Ora, default as OraFactoryType } from 'ora'
import { CatalogDebugError } from '../errors.js'
import type { CliIo, CliWritable } from './io.js'

export const PROGRAM = 'catalog-debug'

type OraFactory = typeof OraFactoryType

export interface OutputSettings {
  readonly quiet: boolean
  readonly verbose: boolean
  /** `--color` (true), `--no-color` (false), or neither. */
  readonly color: boolean | undefined
}

/** Raised when the reader of stdout went away (`dump | head`); `main` ends quietly. */
export class BrokenPipeError extends Error {
  constructor() {
    super('stdout closed by its reader')
  }
}

/** Colour level (0 = none … 3 = truecolor) for a stream, following the rules above. */
export function colorLevel(isTTY: boolean, env: CliIo['env'], flag: boolean | undefined): 0 | 1 | 2 | 3 {
  if (flag === false) return 0
  const force = env.FORCE_COLOR
  if (flag !== true) {
    if ((env.NO_COLOR ?? '') !== '' || env.TERM === 'dumb' || force === '0' || force === 'false') return 0
    if ((force === undefined || force === '') && !isTTY) return 0
  }
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3
  if ((env.TERM ?? '').includes('256')) return 2
  return 1
}

type ChalkClass = typeof import('chalk').Chalk

/** chalk at level 0 without loading chalk: every style (and chain of styles) returns its text as is. */
const PLAIN: ChalkInstance = (() => {
  const style = (...texts: unknown[]): string => (texts.length === 1 ? `${texts[0] as string}` : texts.join(' '))
  const plain: ChalkInstance = new Proxy(style, {
    get: (target, prop) =>
      prop === 'level' ? 0 : typeof prop === 'symbol' || prop in Function.prototype ? Reflect.get(target, prop) : plain,
  }) as unknown as ChalkInstance
  return plain
})()

export class Output {
  readonly #io: CliIo
  #settings: OutputSettings = { quiet: false, verbose: false, color: undefined }
  #stdoutColor: ChalkInstance = PLAIN
  #stderrColor: ChalkInstance = PLAIN
  #levels: readonly [stdout: number, stderr: number] = [0, 0]
  #chalk: ChalkClass | undefined
  #stdoutBroken = false
  #spinner: Ora | undefined
  #ora: OraFactory | undefined
  #loadingOra: Promise<void> | undefined
  #pendingSpinnerText: string | undefined
  /** A write error on stdout other than EPIPE (ENOSPC, EIO…): the next write reports it. */
  #stdoutError: Error | undefined
  /** stderr's reader went away (`2>&1 | head`): further stderr writes are dropped. */
  #stderrBroken = false
  /** Passwords from the command line: replaced by `***` in everything printed (see {@link addSecrets}). */
  #secrets: string[] = []
  readonly #onStdoutError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE') this.#stdoutBroken = true
    else this.#stdoutError ??= err
  }
  readonly #onStderrError = (err: NodeJS.ErrnoException): void => {
    // Nothing can report an error on stderr; every error there ends its output, EPIPE or not.
    void err
    this.#stderrBroken = true
    this.#spinner = undefined
  }

  constructor(io: CliIo) {
    this.#io = io
    this.#applyColor(undefined)
    io.stdout.on('error', this.#onStdoutError)
    io.stderr.on('error', this.#onStderrError)
  }

  /**
   * Registers secrets (a PostgreSQL URL's passwords) that must never be printed: every message
   * and every text written to stdout shows `***` instead. A safety net under the redacted
   * display form every location has; data written as bytes (dump and export streams) holds catalog
   * contents, never a location, and is not scanned.
   */
  addSecrets(secrets: readonly string[]): void {
    for (const s of secrets) if (s.length >= 3 && !this.#secrets.includes(s)) this.#secrets.push(s)
  }

  #scrub(text: string): string {
    let t = text
    for (const s of this.#secrets) t = t.split(s).join('***')
    return t
  }

  /** Applies the global options once they are parsed. */
  configure(settings: OutputSettings): void {
    this.#settings = settings
    this.#applyColor(settings.color)
  }

  /** Loads chalk if a stream takes colour (call after {@link configure}); a no-op otherwise. */
  async loadColor(): Promise<void> {
    if (this.#chalk !== undefined || (this.#levels[0] === 0 && this.#levels[1] === 0)) return
    this.#chalk = (await import('chalk')).Chalk
    this.#applyColor(this.#settings.color)
  }

  #applyColor(flag: boolean | undefined): void {
    const io = this.#io
    const levels = [colorLevel(io.isTTY.stdout, io.env, flag), colorLevel(io.isTTY.stderr, io.env, flag)] as const
    this.#levels = levels
    const make = (level: 0 | 1 | 2 | 3): ChalkInstance => (level === 0 || this.#chalk === undefined ? PLAIN : new this.#chalk({ level }))
    this.#stdoutColor = make(levels[0])
    this.#stderrColor = make(levels[1])
  }

  get settings(): OutputSettings {
    return this.#settings
  }
  /** Chalk for text printed on stdout (level 0 when stdout takes no colour). */
  get stdoutColor(): ChalkInstance {
    return this.#stdoutColor
  }
  /** Chalk for text printed on stderr. */
  get stderrColor(): ChalkInstance {
    return this.#stderrColor
  }

  /** Writes data (text, or UTF-8 bytes) to stdout, waiting while the reader is slow (so memory stays bounded). */
  async data(text: string | Uint8Array): Promise<void> {
    // Progress ends before the data it was about: a spinner must not interleave with stdout.
    if (this.#spinner !== undefined && this.#io.isTTY.stdout) this.stopSpinner()
    try {
      if (this.#stdoutError !== undefined) throw this.#stdoutError
      await writeTo(this.#io.stdout, typeof text === 'string' ? this.#scrub(text) : text, () => this.#stdoutBroken)
    } catch (err) {
      // An I/O error of the stream (ENOSPC, EIO…) is a failure; anything else stays a bug.
      if (typeof (err as NodeJS.ErrnoException).code !== 'string' || err instanceof CatalogDebugError) throw err
      throw new CatalogDebugError('stdout-write-failed', 'failure', `cannot write to stdout: ${(err as Error).message}`, { cause: err })
    }
  }

  /** Free-form text on stderr (diffs, summaries); suppressed by --quiet. */
  message(text: string): void {
    if (this.#settings.quiet) return
    this.#stderr(text.endsWith('\n') ? text : `${text}\n`)
  }

  /** `catalog-debug: warning: …` on stderr; suppressed by --quiet. */
  warn(text: string): void {
    if (this.#settings.quiet) return
    this.#stderr(`${PROGRAM}: ${this.#stderrColor.yellow('warning:')} ${text}\n`)
  }

  /** Only with --verbose. */
  debug(text: string): void {
    if (!this.#settings.verbose) return
    this.#stderr(`${PROGRAM}: ${this.#stderrColor.gray(text)}\n`)
  }

  /** With --verbose (and not --quiet): how long a step took. */
  timing(label: string, ms: number): void {
    if (this.#settings.quiet) return // -qv: quiet wins over timings (stack traces still print)
    this.debug(`timing: ${label} ${ms.toFixed(1)} ms`)
  }

  /** The one error report: `catalog-debug: error: …`, a hint line, the stack only with --verbose. */
  error(err: unknown): void {
    this.stopSpinner()
    const c = this.#stderrColor
    const known = err instanceof CatalogDebugError
    // One line whatever the message: library messages (yargs' "Invalid values:\n  Argument: …")
    // and messages quoting multi-line input are folded, so scripts can rely on the line.
    const message = (err instanceof Error ? err.message : String(err)).replace(/\s*[\r\n]+\s*/g, ' ').trim()
    const text = known ? message : `internal error: ${message}`
    this.#stderr(`${PROGRAM}: ${c.red('error:')} ${text}\n`)
    const hint = known ? err.hint : this.#settings.verbose ? undefined : 'this is a bug; rerun with --verbose for the stack trace'
    if (hint !== undefined) this.#stderr(`${c.cyan('hint:')} ${hint}\n`)
    if (this.#settings.verbose && err instanceof Error) this.#stderr(`${stackWithCauses(err)}\n`)
  }

  /** Error text on stderr exactly as given, never suppressed (the Materialize-compatible mode's own format). */
  errorText(text: string): void {
    this.stopSpinner()
    this.#stderr(text)
  }

  /** Whether a spinner may be shown at all. */
  get spinnerAllowed(): boolean {
    const env = this.#io.env
    // A terminal that reports 0 columns (`script`, some CI runners, `docker exec -t`): a spinner
    // computes how many lines to clear by dividing by the width, and would write forever.
    const columns = (this.#io.stderr as { columns?: unknown }).columns
    if (columns === 0) return false
    return this.#io.isTTY.stderr && !this.#settings.quiet && env.TERM !== 'dumb' && (env.NO_COLOR ?? '') === '' && (env.CI ?? '') === ''
  }

  /**
   * Shows why the tool is waiting (a retry): spinner text on a terminal, else one line per call
   * (suppressed by --quiet).
   */
  progress(raw: string): void {
    const text = this.#scrub(raw)
    if (!this.spinnerAllowed) {
      this.message(`${PROGRAM}: ${text}`)
      return
    }
    if (this.#spinner !== undefined) {
      this.#spinner.text = text
      return
    }
    this.#pendingSpinnerText = text
    if (this.#ora !== undefined) {
      this.#startSpinner()
      return
    }
    // ora loads only when a spinner is first needed; meanwhile the latest text waits.
    this.#loadingOra ??= import('ora').then((m) => {
      this.#ora = m.default
      if (this.#pendingSpinnerText !== undefined) this.#startSpinner()
    })
  }

  /**
   * Spinner text on an interactive stderr (the spinner's rules: not with --quiet, `NO_COLOR`,
   * `CI`, `TERM=dumb` or a pipe); nothing otherwise. For progress, which on a pipe or in a log
   * would only be noise.
   */
  status(text: string): void {
    // A terminal that reports no width (0 columns) would make the spinner's line arithmetic
    // divide by zero: no status there.
    const columns = (this.#io.stderr as { columns?: number }).columns ?? 0
    if (!this.spinnerAllowed || !(columns > 0)) return
    // One line, never wrapped: the spinner then clears exactly what it drew.
    this.progress(text.length > columns - 3 ? `${text.slice(0, Math.max(0, columns - 4))}…` : text)
    // Long work may not give the event loop a turn before it ends (a synchronous SQLite scan
    // between microtasks), so the spinner's timer might never fire: draw the frame now.
    this.#spinner?.render()
  }

  /** Loads the spinner library ahead of {@link status} (nothing when no spinner may show). */
  async prepareStatus(): Promise<void> {
    if (!this.spinnerAllowed) return
    this.#loadingOra ??= import('ora').then((m) => {
      this.#ora = m.default
      if (this.#pendingSpinnerText !== undefined) this.#startSpinner()
    })
    await this.#loadingOra.catch(() => undefined)
  }

  #startSpinner(): void {
    const make = this.#ora as OraFactory
    this.#spinner = make({
      stream: this.#io.stderr as NodeJS.WritableStream & { isTTY?: boolean },
      discardStdin: false,
      isEnabled: true,
      color: this.#stderrColor.level > 0 ? 'cyan' : false,
    }).start(this.#pendingSpinnerText)
    this.#pendingSpinnerText = undefined
  }

  /** Removes the spinner, if any, before other output. Synchronous; safe to call at any time. */
  stopSpinner(): void {
    this.#pendingSpinnerText = undefined
    this.#spinner?.stop()
    this.#spinner = undefined
  }

  /** Waits for a spinner that is still loading, then removes it (end of a run). */
  async settle(): Promise<void> {
    this.#pendingSpinnerText = undefined
    await this.#loadingOra?.catch(() => undefined)
    this.stopSpinner()
  }

  dispose(): void {
    this.#io.stdout.removeListener('error', this.#onStdoutError)
    // stderr keeps its listener: an EPIPE that arrives after the run's last write must not crash
    // the process with an unhandled 'error' event.
  }

  #stderr(text: string): void {
    if (this.#stderrBroken) return
    this.#io.stderr.write(this.#scrub(text))
  }
}

/**
 * Writes to a stream, honouring backpressure. `broken` reports a reader that went away;
 * writing then throws {@link BrokenPipeError}.
 */
export async function writeTo(stream: CliWritable, text: string | Uint8Array, broken: () => boolean = () => false): Promise<void> {
  if (broken()) throw new BrokenPipeError()
  if (text.length === 0) return
  if (!stream.write(text)) {
    // Both waits end together: the one that lost the race must not leave its 'drain'/'close' and
    // 'error' listeners behind (one pair per drain adds up to a MaxListenersExceededWarning).
    const done = new AbortController()
    try {
      await Promise.race([once(stream, 'drain', { signal: done.signal }), once(stream, 'close', { signal: done.signal })])
    } catch (err) {
      // `once` rejects when the stream emits 'error' while we wait (EPIPE and friends).
      if (broken() || (err as NodeJS.ErrnoException).code === 'EPIPE') throw new BrokenPipeError()
      throw err
    } finally {
      done.abort()
    }
    if (broken()) throw new BrokenPipeError()
  }
}

function stackWithCauses(err: Error): string {
  let text = err.stack ?? `${err.name}: ${err.message}`
  let cause: unknown = err.cause
  for (let depth = 0; cause !== undefined && depth < 8; depth++) {
    text += `\ncaused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`
    cause = cause instanceof Error ? cause.cause : undefined
  }
  return text
}
