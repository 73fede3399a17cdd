/** `epoch`: `Epoch: 3` (Materialize's line), or `{"epoch": 3}`. */
import { jsonDocument, type JsonFormat } from './json-text.js'

export function renderEpoch(epoch: bigint, format: 'text' | JsonFormat): string {
  return format === 'text' ? `Epoch: ${epoch}\n` : jsonDocument({ epoch }, format)
}
