/**
 * `backup` and `restore`: the file written and every shard with the frontiers it was copied at;
 * for `restore`, the shards whose later writes are lost (only with --force), the epochs it leaves, and the preview shown
 * before confirming.
 */
import type { JsonObject, JsonValue } from '../json/lossless-json.js'
import type { BackupResult, RestoredEpoch, RestoreResult, ShardFrontiers, UpperRegression } from '../catalog/backup/index.js'
import { jsonDocument, reportRecords, type JsonFormat } from './json-text.js'

function frontier(f: bigint | null): string {
  return f === null ? '[]' : f.toString()
}

function shardJson(s: ShardFrontiers): JsonObject {
  return { shard_id: s.shardId, shard_name: s.shardName, organization_id: s.organizationId, upper: s.upper, since: s.since, seqno: s.seqno }
}

function regressionJson(r: UpperRegression): JsonObject {
  return {
    shard_id: r.shardId,
    shard_name: r.shardName,
    organization_id: r.organizationId,
    current_upper: r.currentUpper,
    restored_upper: r.restoredUpper,
    missing: r.missing,
  }
}

function epochJson(e: RestoredEpoch): JsonObject {
  return { organization_id: e.organizationId, shard_id: e.shardId, store_epoch: e.storeEpoch, backup_epoch: e.backupEpoch, epoch: e.epoch }
}

function epochLines(epochs: readonly RestoredEpoch[]): string[] {
  const seen = (e: bigint | null) => (e === null ? 'none' : e.toString())
  return epochs
    .filter((e) => e.epoch !== null)
    .map(
      (e) =>
        `  organization ${e.organizationId}: epoch ${e.epoch} (the store had ${seen(e.storeEpoch)}, the backup ${seen(e.backupEpoch)})`,
    )
}

function shardLine(s: { shardName: string; shardId: string; organizationId: string | null }): string {
  return `${s.shardName || 'shard'} ${s.shardId}${s.organizationId === null ? '' : ` (organization ${s.organizationId})`}`
}

function shardLines(shards: readonly ShardFrontiers[]): string[] {
  return shards.map((s) => `  ${shardLine(s)}: upper ${frontier(s.upper)}, since ${frontier(s.since)}`)
}

function regressionLines(regressions: readonly UpperRegression[]): string[] {
  return regressions.map(
    (r) => `  ${shardLine(r)}: upper ${frontier(r.currentUpper)} → ${r.missing ? 'absent' : frontier(r.restoredUpper)}`,
  )
}

export function renderBackup(r: BackupResult, format: 'text' | JsonFormat): string {
  if (format !== 'text') {
    const doc = { target: r.target, bytes: BigInt(r.bytes), shards: r.shards.map(shardJson) }
    return format === 'ndjson' ? reportRecords('backup', doc, { shards: 'shard' }) : jsonDocument(doc, format)
  }
  return `${[
    `backup written to ${r.target} (${r.bytes} bytes, ${r.shards.length} shard${r.shards.length === 1 ? '' : 's'}):`,
    ...shardLines(r.shards),
  ].join('\n')}\n`
}

/** What a restore will do, for stderr before confirming. */
export function renderRestorePlan(r: RestoreResult): string {
  const lines = [
    `restore ${r.source} over ${r.target}${r.replaced ? '' : ' (a new file)'}; the restored store holds:`,
    ...shardLines(r.shards),
  ]
  if (r.regressions.length > 0) lines.push('writes after the backup that are lost (--force):', ...regressionLines(r.regressions))
  const epochs = epochLines(r.epochs)
  if (epochs.length > 0) lines.push('every writer of the store or the backup is fenced:', ...epochs)
  return lines.join('\n')
}

export function renderRestore(r: RestoreResult, committed: boolean, dryRun: boolean, format: 'text' | JsonFormat): string {
  if (format !== 'text') {
    const doc: Record<string, JsonValue> = {
      source: r.source,
      target: r.target,
      replaced: r.replaced,
      forced: r.forced,
      committed,
      dry_run: dryRun,
      shards: r.shards.map(shardJson),
      regressions: r.regressions.map(regressionJson),
      epochs: r.epochs.map(epochJson),
    }
    return format === 'ndjson'
      ? reportRecords('restore', doc, { shards: 'shard', regressions: 'regression', epochs: 'epoch' })
      : jsonDocument(doc, format)
  }
  if (!committed) return `would restore ${r.source} to ${r.target}\n`
  const moved =
    r.regressions.length === 0
      ? ''
      : `; the writes after the backup to ${r.regressions.length} shard${r.regressions.length === 1 ? '' : 's'} are gone (forced)`
  return `restored ${r.source} to ${r.target}${moved}\n`
}
