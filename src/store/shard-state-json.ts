/**
 * What the shard store reports about itself without reading any update: persist's `inspect` JSON
 * of one shard and the facts about the store as a whole. Part of the store's interface
 * (`shard-store.ts`).
 */

/** Persist's `inspect` JSON, with persist's field names. Integers are exact `bigint`s. */
export interface ShardStateJson {
  readonly applier_version: string
  readonly shard_id: string
  readonly shard_name: string
  readonly labels: Readonly<Record<string, string>>
  readonly seqno: bigint
  readonly walltime_ms: bigint
  readonly hostname: string
  readonly since: readonly bigint[]
  readonly upper: readonly bigint[]
  readonly leased_readers: Readonly<
    Record<
      string,
      {
        readonly seqno: bigint
        readonly since: readonly bigint[]
        readonly last_heartbeat_timestamp_ms: bigint
        readonly lease_duration_ms: bigint
        readonly debug: { readonly hostname: string; readonly purpose: string }
      }
    >
  >
  readonly critical_readers: Readonly<
    Record<
      string,
      {
        readonly since: readonly bigint[]
        readonly opaque: bigint
        readonly opaque_codec: string
        readonly debug: { readonly hostname: string; readonly purpose: string }
      }
    >
  >
  readonly writers: Readonly<
    Record<
      string,
      {
        readonly last_heartbeat_timestamp_ms: bigint
        readonly lease_duration_ms: bigint
        readonly most_recent_write_token: string
        readonly most_recent_write_upper: readonly bigint[]
        readonly debug: { readonly hostname: string; readonly purpose: string }
      }
    >
  >
  readonly tombstone: boolean
  /** Number of update rows physically stored (not consolidated). */
  readonly update_count: bigint
}

/** Facts about the store as a whole (for `inspect` and `verify`). */
export interface StoreInfo {
  readonly backend: 'sqlite' | 'postgres'
  readonly location: string
  readonly formatVersion: number
  readonly readOnly: boolean
  /** Backend settings that matter for durability (journal mode, synchronous, isolation, server version). */
  readonly settings: Readonly<Record<string, string>>
}
