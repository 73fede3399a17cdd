/** `init`: the organization id (the one thing to keep), as text or JSON. */
import { jsonDocument, type JsonFormat } from './json-text.js'

export interface InitOutcome {
  readonly organizationId: string
  readonly store: string
  readonly replicaSize: string
  readonly epoch: bigint
}

export function renderInit(o: InitOutcome, format: 'text' | JsonFormat): string {
  if (format === 'text') return `organization id: ${o.organizationId}\n`
  return jsonDocument({ organization_id: o.organizationId, store: o.store, replica_size: o.replicaSize, epoch: o.epoch }, format)
}
