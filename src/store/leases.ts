/**
 * Lease durations (persist `cfg.rs`, early 2024). Leases expire lazily: every committed state
 * change drops leased readers and writers whose `last_heartbeat + lease_duration < now`; critical
 * since handles never expire (that is their point).
 */

/** `persist_reader_lease_duration`: 15 minutes. */
export const READER_LEASE_DURATION_MS = 15n * 60n * 1000n

/** `writer_lease_duration`: 60 minutes. */
export const WRITER_LEASE_DURATION_MS = 60n * 60n * 1000n

/** The wall clock in milliseconds, the default `now` of a store. */
export function systemNowMs(): bigint {
  return BigInt(Date.now())
}
