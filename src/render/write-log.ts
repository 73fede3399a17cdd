/**
 * Write records: `log` (one line per command run) and the "written by" part of `history`.
 */
import type { CatalogWrite, StoredWriteRecord } from '../catalog/index.js'
import type { JsonObject } from '../json/lossless-json.js'
import { jsonDocument, jsonLine, type JsonFormat } from './json-text.js'

/** A wall-clock time as ISO 8601 in UTC. */
export function isoTime(ms: bigint): string {
  return new Date(Number(ms)).toISOString()
}

/** The catalog timestamps a write wrote: `at 46`, `at 46..48`, or `upper 46` for one that appended nothing. */
function span(w: Pick<CatalogWrite, 'fromUpper' | 'toUpper'>): string {
  const { fromUpper: from, toUpper: to } = w
  if (from === null) return 'finished'
  if (to === null) return `from ${from}`
  if (to <= from) return `upper ${from}`
  return to - from === 1n ? `at ${from}` : `at ${from}..${to - 1n}`
}

function writeJson(w: CatalogWrite): JsonObject {
  return {
    time: isoTime(w.walltimeMs),
    walltime_ms: w.walltimeMs,
    user: w.user,
    host: w.hostname,
    command: w.command,
    reason: w.reason,
    from_upper: w.fromUpper,
    to_upper: w.toUpper,
    appends: w.appends,
    tool_version: w.toolVersion,
    command_line: w.commandLine,
    operation_id: w.operationId,
  }
}

export function renderLog(writes: readonly CatalogWrite[], format: 'text' | JsonFormat): string {
  if (format === 'json') return jsonDocument(writes.map(writeJson), 'json')
  if (format === 'ndjson') return writes.map((w) => jsonDocument(writeJson(w), 'ndjson')).join('')
  return writes
    .map((w) => {
      const reason = w.reason === null ? '' : `  ${jsonLine(w.reason)}`
      return `${isoTime(w.walltimeMs)}  ${w.user}@${w.hostname}  ${w.command} ${span(w)}${reason}  ${w.commandLine}\n`
    })
    .join('')
}

/** A record as `history` shows it: who and when, the command, and why. */
export function recordSummary(r: StoredWriteRecord): string {
  return `${isoTime(r.walltimeMs)} ${r.user}@${r.hostname} ${r.command}${r.reason === null ? '' : ` ${jsonLine(r.reason)}`}`
}

/** A record as `history -o json` shows it. */
export function recordJson(r: StoredWriteRecord): JsonObject {
  return {
    time: isoTime(r.walltimeMs),
    user: r.user,
    host: r.hostname,
    command: r.command,
    reason: r.reason,
    tool_version: r.toolVersion,
    command_line: r.commandLine,
  }
}
