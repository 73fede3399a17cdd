/**
 * How much V8's heap grows beyond what a command keeps alive. By default a long read lets it grow
 * far ahead of its live data: the young generation doubles up to 2 × 16 MiB once enough survives
 * scavenges, and after each full collection the old generation may grow to up to four times what
 * survived, plus the young generation's size, before the next. A command that streams a catalog
 * keeps little alive, so its peak memory was mostly that headroom, and it grew with the length of
 * the read (reached at 1M updates, not at 100k), not with what the command held.
 *
 * {@link boundHeapGrowth} keeps the young generation at its size when the command starts and lets
 * the old generation grow 20 % (at least V8's minimum step) past what survives each full
 * collection. Both are V8 flags that V8 reads at each growth decision, so setting them at run time
 * takes effect from then on. Collections run more often; each is small, since little is alive.
 */
import { setFlagsFromString } from 'node:v8'

/** Bounds the heap's growth for the rest of the process (see the module comment). */
export function boundHeapGrowth(): void {
  setFlagsFromString('--semi-space-growth-factor=1')
  setFlagsFromString('--heap-growing-percent=20')
}
