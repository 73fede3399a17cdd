/**
 * A fault-injecting wrapper around a {@link ShardStore}, after persist's `UnreliableHandle`
 * (`src/persist/src/unreliable.rs`): every compare-and-append and upper read first draws
 * `happen` (probability 1 − p) and `timeout` (probability p) from a seeded generator:
 *
 * | happen | timeout | effect |
 * | --- | --- | --- |
 * | yes | no  | the call, normally |
 * | yes | yes | the call is made, **then** an indeterminate timeout is thrown (it did commit) |
 * | no  | yes | a timeout is thrown without making the call (indeterminate to the client) |
 * | no  | no  | a determinate error: the call was not made |
 *
 * Everything else passes through untouched.
 */
import { StoreError } from '../../../src/errors.js'
import type { ShardStore } from '../../../src/store/shard-store.js'
import { Rng } from '../../../bench/rng.js'

export class InjectedFault extends StoreError {
  constructor(
    readonly indeterminate: boolean,
    readonly performed: boolean,
  ) {
    super(indeterminate ? 'unreliable: timeout (outcome unknown)' : 'unreliable: determinate failure', {
      code: 'injected-fault',
      transient: true,
    })
  }
}

export interface FaultCounts {
  performedThenTimeout: number
  timeoutNotPerformed: number
  determinate: number
}

export function unreliable(store: ShardStore, seed: number, p: number, counts: FaultCounts): ShardStore {
  const rng = new Rng(seed)
  const wrap = async <T>(call: () => Promise<T>): Promise<T> => {
    const happen = !rng.chance(p)
    const timeout = rng.chance(p)
    if (!happen) {
      if (timeout) counts.timeoutNotPerformed++
      else counts.determinate++
      throw new InjectedFault(timeout, false)
    }
    const result = await call()
    if (timeout) {
      counts.performedThenTimeout++
      throw new InjectedFault(true, true)
    }
    return result
  }
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'compareAndAppend')
        return (...args: Parameters<ShardStore['compareAndAppend']>) => wrap(() => target.compareAndAppend(...args))
      if (prop === 'fetchRecentUpper')
        return (...args: Parameters<ShardStore['fetchRecentUpper']>) => wrap(() => target.fetchRecentUpper(...args))
      const v = Reflect.get(target, prop, receiver) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
}
