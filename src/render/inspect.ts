/**
 * `inspect`: the store's facts and each shard's state, with persist's `inspect` field names.
 * Text is one block per shard; JSON is `{"store": {…}, "shards": [<persist inspect JSON>…]}`.
 */
import type { JsonObject, JsonValue } from '../json/lossless-json.js'
import { jsonDocument, jsonLine, reportRecords, type JsonFormat } from './json-text.js'

type Frontier = readonly bigint[]
interface Holder {
  readonly debug: { readonly purpose: string }
}

/** The store facts `inspect` shows (the store's `info`, which the command passes in as it is). */
export interface InspectedStore {
  readonly backend: string
  readonly location: string
  readonly formatVersion: number
  readonly readOnly: boolean
  readonly settings: Readonly<Record<string, string>>
}

/**
 * One shard's state as persist's `inspect` names its fields: the part of the store's state JSON
 * that the text form shows. The JSON form prints the whole object it is given.
 */
export interface InspectedShard {
  readonly shard_id: string
  readonly shard_name: string
  readonly labels: Readonly<Record<string, string>>
  readonly applier_version: string
  readonly seqno: bigint
  readonly walltime_ms: bigint
  readonly hostname: string
  readonly since: Frontier
  readonly upper: Frontier
  readonly tombstone: boolean
  readonly update_count: bigint
  readonly leased_readers: Readonly<
    Record<
      string,
      Holder & {
        readonly since: Frontier
        readonly seqno: bigint
        readonly last_heartbeat_timestamp_ms: bigint
        readonly lease_duration_ms: bigint
      }
    >
  >
  readonly critical_readers: Readonly<
    Record<string, Holder & { readonly since: Frontier; readonly opaque: bigint; readonly opaque_codec: string }>
  >
  readonly writers: Readonly<
    Record<
      string,
      Holder & {
        readonly most_recent_write_upper: Frontier
        readonly last_heartbeat_timestamp_ms: bigint
        readonly lease_duration_ms: bigint
        readonly most_recent_write_token: string
      }
    >
  >
}

export interface InspectReport {
  readonly store: InspectedStore
  readonly shards: readonly InspectedShard[]
}

function storeObject(info: InspectedStore): JsonObject {
  return {
    backend: info.backend,
    location: info.location,
    format_version: BigInt(info.formatVersion),
    read_only: info.readOnly,
    settings: { ...info.settings },
  }
}

export function inspectJson(report: InspectReport): JsonObject {
  return { store: storeObject(report.store), shards: report.shards as unknown as JsonValue[] }
}

export function renderInspect(report: InspectReport, format: 'text' | JsonFormat): string {
  if (format === 'ndjson')
    return reportRecords('store', { ...storeObject(report.store), shards: inspectJson(report).shards as JsonValue }, { shards: 'shard' })
  if (format !== 'text') return jsonDocument(inspectJson(report), format)
  const lines: string[] = ['store:']
  const s = report.store
  lines.push(`  backend: ${s.backend}`, `  location: ${s.location}`, `  format_version: ${s.formatVersion}`, `  read_only: ${s.readOnly}`)
  lines.push('  settings:')
  for (const [k, v] of Object.entries(s.settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) lines.push(`    ${k}: ${v}`)
  lines.push(`shards: ${report.shards.length}`)
  for (const sh of report.shards) {
    lines.push(`${sh.shard_id}:`)
    lines.push(`  shard_name: ${sh.shard_name}`)
    for (const [k, v] of Object.entries(sh.labels)) lines.push(`  label ${k}: ${v}`)
    lines.push(
      `  applier_version: ${sh.applier_version}`,
      `  seqno: ${sh.seqno}`,
      `  walltime_ms: ${sh.walltime_ms}`,
      `  hostname: ${sh.hostname}`,
      `  since: ${frontier(sh.since)}`,
      `  upper: ${frontier(sh.upper)}`,
      `  tombstone: ${sh.tombstone}`,
      `  update_count: ${sh.update_count}`,
    )
    section(
      lines,
      'leased_readers',
      Object.entries(sh.leased_readers),
      (id, r) =>
        `${id}: since ${frontier(r.since)}, seqno ${r.seqno}, last heartbeat ${r.last_heartbeat_timestamp_ms} ms, lease ${r.lease_duration_ms} ms, purpose ${jsonLine(r.debug.purpose)}`,
    )
    section(
      lines,
      'critical_readers',
      Object.entries(sh.critical_readers),
      (id, r) => `${id}: since ${frontier(r.since)}, opaque ${r.opaque} (${r.opaque_codec}), purpose ${jsonLine(r.debug.purpose)}`,
    )
    section(
      lines,
      'writers',
      Object.entries(sh.writers),
      (id, w) =>
        `${id}: upper ${frontier(w.most_recent_write_upper)}, last heartbeat ${w.last_heartbeat_timestamp_ms} ms, lease ${w.lease_duration_ms} ms, token ${w.most_recent_write_token}, purpose ${jsonLine(w.debug.purpose)}`,
    )
  }
  return `${lines.join('\n')}\n`
}

function frontier(f: readonly bigint[]): string {
  return `[${f.join(', ')}]`
}

function section<T>(lines: string[], name: string, entries: [string, T][], line: (id: string, v: T) => string): void {
  if (entries.length === 0) {
    lines.push(`  ${name}: []`)
    return
  }
  lines.push(`  ${name}:`)
  for (const [id, v] of entries) lines.push(`    - ${line(id, v)}`)
}
