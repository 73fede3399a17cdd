/**
 * What `edit` and `delete` print on stdout. Text keeps Materialize's `previous value: …` line (with
 * JSON instead of Rust's Debug form, so it can be pasted back); JSON is the full result.
 */
import type { JsonObject, JsonValue } from '../json/lossless-json.js'
import { jsonDocument, jsonLine, type JsonFormat } from './json-text.js'

export interface EditOutcome {
  readonly collection: string
  readonly key: JsonValue
  readonly previous: JsonValue | null
  readonly value: JsonValue
  readonly changed: boolean
  readonly committed: boolean
  readonly dryRun: boolean
  /** The epoch bump that goes (or would go) with the write; undefined when nothing changes. */
  readonly epoch: EpochBump | undefined
}

export interface EpochBump {
  readonly from: bigint
  readonly to: bigint
}

export interface DeleteOutcome {
  readonly collection: string
  readonly key: JsonValue
  readonly deleted: readonly JsonValue[]
  readonly committed: boolean
  readonly dryRun: boolean
  readonly epoch: EpochBump | undefined
}

function epochJson(e: EpochBump | undefined): JsonValue {
  return e === undefined ? null : { from: e.from, to: e.to }
}

export function renderEditOutcome(o: EditOutcome, format: 'text' | JsonFormat): string {
  if (format === 'text') return `previous value: ${o.previous === null ? 'null' : jsonLine(o.previous)}\n`
  const doc: JsonObject = {
    collection: o.collection,
    key: o.key,
    previous: o.previous,
    value: o.value,
    changed: o.changed,
    committed: o.committed,
    dry_run: o.dryRun,
    epoch: epochJson(o.epoch),
  }
  return jsonDocument(doc, format)
}

export function renderDeleteOutcome(o: DeleteOutcome, format: 'text' | JsonFormat): string {
  if (format === 'text') {
    const label = o.committed ? 'deleted value' : 'would delete value'
    return o.deleted.map((v) => `${label}: ${jsonLine(v)}\n`).join('')
  }
  const doc: JsonObject = {
    collection: o.collection,
    key: o.key,
    deleted: [...o.deleted],
    committed: o.committed,
    dry_run: o.dryRun,
    epoch: epochJson(o.epoch),
  }
  return jsonDocument(doc, format)
}
