/**
 * What every failing command must look like (docs/exit-codes.md): a documented exit code, exactly
 * one `catalog-debug: error: …` line on stderr (optionally followed by one `hint: …` line), no
 * stack trace, nothing on stdout; and, for the scenarios that need it, the store file unchanged.
 */
import { fingerprint } from '../../helpers/tmp.js'

export const DOCUMENTED_EXIT_CODES: ReadonlySet<number> = new Set([0, 1, 2, 3, 4, 5, 6, 70])

export interface Outcome {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Problems with how a command failed (empty for a well-formed failure, or for success). */
export function failureShapeProblems(o: Outcome): string[] {
  const problems: string[] = []
  if (o.code === null || !DOCUMENTED_EXIT_CODES.has(o.code)) problems.push(`undocumented exit ${o.code}`)
  if (o.code === 70) problems.push(`internal error: ${firstErrorLine(o.stderr)}`)
  if (/^\s+at .+\(?.*:\d+:\d+\)?$/m.test(o.stderr)) problems.push('a stack trace on stderr')
  if (o.code === 0) return problems
  const lines = o.stderr.split('\n').filter((l) => l !== '')
  const errors = lines.filter((l) => l.startsWith('catalog-debug: error: '))
  if (errors.length !== 1) problems.push(`${errors.length} error lines on stderr`)
  else {
    const i = lines.indexOf(errors[0]!)
    const after = lines.slice(i + 1)
    if (after.length > 1 || (after.length === 1 && !after[0]!.startsWith('hint: ')))
      problems.push(`stderr continues after the error line: ${JSON.stringify(after.slice(0, 2))}`)
  }
  // Exit 6 is an upgrade check that ran and found problems: its report is data, on stdout.
  if (o.stdout !== '' && o.code !== 6) problems.push('output on stdout with a failure')
  return problems
}

export function firstErrorLine(stderr: string): string {
  return stderr.split('\n').find((l) => l.startsWith('catalog-debug: error: ')) ?? stderr.trim().split('\n')[0] ?? ''
}

/**
 * The store's fingerprint for "unchanged" checks: the database file's hash, and whether the WAL
 * holds anything (read-only opens may create empty `-wal`/`-shm` files; that is housekeeping).
 */
export function storeHash(path: string): string {
  const f = fingerprint(path)
  const emptyWal = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
  return `${f.db}/${f.wal === 'absent' || f.wal === emptyWal ? 'no-wal' : f.wal}`
}
