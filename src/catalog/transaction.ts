/**
 * A catalog transaction (Materialize's `Transaction`): pending changes to every collection, read
 * your writes, uniqueness rules, id allocation, and one consolidated batch committed atomically.
 *
 * The small collections are {@link TableTransaction}s over the opened catalog's in-memory state.
 * `audit_log` and `storage_usage` are append-only lists that are never read into memory (they can
 * hold millions of rows): the transaction only adds to them (and retracts pruned storage usage by
 * its stored text).
 *
 * Every new row is validated and encoded through the codec (catalog version 47) when the batch is
 * built, so an invalid value is a {@link ValidationError} and nothing is committed. A transaction
 * is single-use: after `commit` (successful or not) it refuses further use, because a failed
 * commit may leave the catalog in an unknown state that must be re-read.
 */

import { AlreadyExistsError, CatalogDebugError, NotFoundError } from '../errors.js'
import { canonicalJson, type JsonObject, type JsonValue } from '../json/lossless-json.js'
import { encodeRow, keyLookup } from './codec/row-codec.js'
import { collectionDef, isLargeKind, KIND_COLLECTIONS, uniquenessKey } from './kinds/collections.js'
import type { CollectionKindName } from './kinds/kind-names.js'
import { ID_ALLOC, U64_MAX } from './constants.js'
import type { CatalogState, StateUpdate } from './catalog-state.js'
import type { StoredRow } from './catalog-reads.js'
import { TableTransaction, type UniquenessRule } from './table-transaction.js'
import { AUDIT_EVENT_TYPE, AUDIT_OBJECT_TYPE, stringWrapper, type AuditEventType, type AuditObjectType } from './object-builders.js'

/** The consolidated updates of one transaction, in the order they were made. */
export interface TransactionBatch {
  readonly updates: readonly StateUpdate[]
}

/** What commits a transaction's batch: the opened catalog. */
export interface TransactionHost {
  readonly state: CatalogState
  /** Commits the batch as the catalog's mode dictates (see `open-modes.ts`). */
  commitBatch(batch: TransactionBatch): Promise<void>
}

/** One audit-log event to append (`AuditLogEventV1`). */
export interface AuditEventInput {
  readonly eventType: AuditEventType
  readonly objectType: AuditObjectType
  /** The details oneof, e.g. `{ IdNameV1: { id: 'u1', name: 'materialize' } }`. */
  readonly details: JsonObject
  /** The acting user (`null`: a system action). */
  readonly user?: string | null
  /** Epoch milliseconds. */
  readonly occurredAt: bigint
  /** The event id; allocated from the `auditlog` allocator when absent. */
  readonly id?: bigint
}

/** One storage-usage measurement to append (`StorageUsageV1`). */
export interface StorageUsageInput {
  readonly shardId: string | null
  readonly sizeBytes: bigint
  /** Epoch milliseconds. */
  readonly collectionTimestamp: bigint
  /** The event id; allocated from the `storage_usage` allocator when absent. */
  readonly id?: bigint
}

type Segment = { readonly kind: 'table'; readonly table: CollectionKindName } | { readonly kind: 'append'; readonly rows: AppendRow[] }

interface AppendRow {
  readonly data: string
  readonly diff: bigint
}

export class Transaction {
  readonly #host: TransactionHost
  readonly #tables = new Map<CollectionKindName, TableTransaction>()
  /** Tables and append-only runs in the order first touched: the order of the batch. */
  readonly #segments: Segment[] = []
  #finished = false

  constructor(host: TransactionHost) {
    this.#host = host
  }

  /** The pending view of a small collection (created on first use). */
  table(kind: CollectionKindName): TableTransaction {
    this.#checkOpen()
    if (isLargeKind(kind)) {
      throw new TypeError(`${kind} is append-only in a transaction; use insertAuditLogEvent/insertStorageUsageEvent`)
    }
    let t = this.#tables.get(kind)
    if (t === undefined) {
      t = new TableTransaction(this.#host.state.table(kind), (key) => keyLookup(kind, key)[1], this.uniquenessRule(kind))
      this.#tables.set(kind, t)
      this.#segments.push({ kind: 'table', table: kind })
    }
    return t
  }

  /**
   * The uniqueness rule of a kind (see its record in `kinds/collections.ts`), with the error it
   * raises. Subclasses refine the messages.
   */
  protected uniquenessRule(kind: CollectionKindName): UniquenessRule | undefined {
    const collection = KIND_COLLECTIONS[kind]
    if (collectionDef(collection).uniqueness === undefined) return undefined
    return {
      uniqueName: (value) => uniquenessKey(collection, value),
      violation: (value) => this.alreadyExists(kind, value),
    }
  }

  /** The error for a value of `kind` that breaks its uniqueness rule. */
  protected alreadyExists(kind: CollectionKindName, value: JsonValue): AlreadyExistsError {
    return new AlreadyExistsError(`uniqueness violation in ${KIND_COLLECTIONS[kind]}: ${canonicalJson(value)}`)
  }

  // ---- id allocation ------------------------------------------------------------------------

  /**
   * Materialize's `get_and_increment_id_by`: returns the next `amount` ids of allocator `name`
   * and advances it. Throws {@link NotFoundError} when the allocator does not exist.
   */
  getAndIncrementIdBy(name: string, amount: bigint): bigint[] {
    const t = this.table('IdAlloc')
    const key = { name }
    const current = (t.get(key) as { next_id?: JsonValue } | undefined)?.next_id
    if (typeof current !== 'bigint') throw new NotFoundError(`${name} id allocator missing`, { code: 'unknown-id-allocator' })
    const next = current + amount
    if (amount < 0n || next > U64_MAX) {
      throw new CatalogDebugError(
        'id-exhaustion',
        'failure',
        `id allocator ${name} exhausted: cannot allocate ${amount} ids after ${current}`,
      )
    }
    t.set(key, { next_id: next })
    const ids: bigint[] = []
    for (let id = current; id < next; id++) ids.push(id)
    return ids
  }

  /** The next id of allocator `name` (see {@link getAndIncrementIdBy}). */
  getAndIncrementId(name: string): bigint {
    return this.getAndIncrementIdBy(name, 1n)[0] as bigint
  }

  /** Creates allocator `name` starting at `nextId`. Throws `AlreadyExistsError` if it exists. */
  insertIdAllocator(name: string, nextId: bigint): void {
    this.table('IdAlloc').insert({ name }, { next_id: nextId })
  }

  // ---- append-only collections ---------------------------------------------------------------

  /** Appends an audit-log event; returns its id. */
  insertAuditLogEvent(event: AuditEventInput): bigint {
    this.#checkOpen()
    const id = event.id ?? this.getAndIncrementId(ID_ALLOC.auditLog)
    const key = {
      event: {
        V1: {
          id,
          event_type: AUDIT_EVENT_TYPE[event.eventType],
          object_type: AUDIT_OBJECT_TYPE[event.objectType],
          user: stringWrapper(event.user),
          occurred_at: { millis: event.occurredAt },
          details: event.details,
        },
      },
    }
    this.#append(encodeRow('AuditLog', key, null), 1n)
    return id
  }

  /** Appends a storage-usage measurement; returns its id. */
  insertStorageUsageEvent(usage: StorageUsageInput): bigint {
    this.#checkOpen()
    const id = usage.id ?? this.getAndIncrementId(ID_ALLOC.storageUsage)
    const key = {
      usage: {
        V1: {
          id,
          shard_id: stringWrapper(usage.shardId),
          size_bytes: usage.sizeBytes,
          collection_timestamp: { millis: usage.collectionTimestamp },
        },
      },
    }
    this.#append(encodeRow('StorageUsage', key, null), 1n)
    return id
  }

  /** Retracts stored append-only rows (pruned storage usage) by their exact stored text and count. */
  retractStoredRows(rows: Iterable<StoredRow>): void {
    this.#checkOpen()
    for (const r of rows) this.#append(r.data, -r.count)
  }

  #append(data: string, diff: bigint): void {
    const last = this.#segments[this.#segments.length - 1]
    if (last !== undefined && last.kind === 'append') last.rows.push({ data, diff })
    else this.#segments.push({ kind: 'append', rows: [{ data, diff }] })
  }

  // ---- finishing -----------------------------------------------------------------------------

  /**
   * The consolidated batch: diffs summed per stored text, zeros dropped, in the order the changes
   * were made. Validates and encodes every new row (throws `ValidationError`).
   */
  batch(): TransactionBatch {
    const sums = new Map<string, bigint>()
    const add = (data: string, diff: bigint): void => {
      sums.set(data, (sums.get(data) ?? 0n) + diff)
    }
    for (const seg of this.#segments) {
      if (seg.kind === 'append') {
        for (const r of seg.rows) add(r.data, r.diff)
        continue
      }
      const t = this.#tables.get(seg.table) as TableTransaction
      for (const c of t.changes()) {
        for (const r of c.retract) add(r.data, -r.count)
        if (c.insert !== null) add(encodeRow(seg.table, c.insert.key, c.insert.value), 1n)
      }
    }
    const updates: StateUpdate[] = []
    for (const [data, diff] of sums) if (diff !== 0n) updates.push({ data, diff })
    return { updates }
  }

  /** Whether committing would change anything. */
  get isEmpty(): boolean {
    return this.batch().updates.length === 0
  }

  /**
   * Commits every change in one batch (see {@link TransactionHost.commitBatch}). The transaction
   * cannot be used afterwards, whatever the outcome.
   */
  async commit(): Promise<void> {
    this.#checkOpen()
    const batch = this.batch()
    this.#finished = true
    await this.#host.commitBatch(batch)
  }

  #checkOpen(): void {
    if (this.#finished) throw new TypeError('this catalog transaction was already committed; start a new one')
  }
}
