/**
 * Generated bad command lines (test plan T-7), each with the exit codes docs/exit-codes.md
 * promises for it. Writes that could be valid run with `--dry-run` (or without `--yes`), so no
 * case can change the store even if the generator is wrong about it.
 */
import type { Rng } from '../../../bench/rng.js'

export interface BadInputCase {
  readonly category: string
  readonly argv: readonly string[]
  readonly stdin?: string
  readonly expect: readonly number[]
}

const MIB = 1024 * 1024
const U64_MAX = 2n ** 64n - 1n

/** Strings that are not JSON. */
const BROKEN_JSON = [
  '{',
  '}',
  '{"name":}',
  "{'name':'a'}",
  '{"name":"a",}',
  '{"name":"a"} x',
  'NaN',
  'undefined',
  '{"name":"a\\q"}',
  '{"name":"\u0001"}',
  '[1,2',
  '{"name" "a"}',
  '',
  ' ',
  '{"name":"a"}}',
  '"unterminated',
  '{"name":0x10}',
  '{"name":.5}',
  '{"name":01}',
  '{"name":+1}',
]

/** Valid JSON of the wrong shape for a `setting` key (`{name: string}`). */
const WRONG_KEYS = [
  '{"name":5}',
  '{"name":null}',
  '{"name":["a"]}',
  '{"name":{"x":1}}',
  '{"name":true}',
  '[]',
  '"name"',
  'null',
  '42',
  '{}',
  '{"nam":"a"}',
  '{"name":1.5}',
]

/** Valid JSON of the wrong shape for a `setting` value (`{value: string}`). */
const WRONG_VALUES = ['{"value":5}', '{"value":null}', '{"value":["a"]}', '{"value":{"x":1}}', '[]', '"x"', 'null', '{}', '{"val":"x"}']

/** Not a u64: for `config` values and `id_alloc` next ids. */
const BAD_U64 = [
  `${U64_MAX + 1n}`,
  `${2n ** 70n}`,
  '-1',
  '-9223372036854775808',
  '1.5',
  '1e3',
  '1E20',
  '-0.0',
  '"5"',
  'true',
  '99999999999999999999999999999999999999',
]

/** Boundary values that are valid u64s (run with --dry-run: they must be accepted, exit 0). */
const GOOD_U64 = ['0', '1', `${2n ** 53n - 1n}`, `${2n ** 53n}`, `${2n ** 53n + 1n}`, `${2n ** 63n - 1n}`, `${2n ** 63n}`, `${U64_MAX}`]

const UNICODE = ['ß', 'Ω', '日本語', '🦀', 'e\u0301', '\u200b', 'ﬁ', 'İ', 'ᴬ', '\u202e', 'a\u0000b']

const BAD_FLAGS: readonly (readonly string[])[] = [
  ['--frobnicate', 'epoch'],
  ['epoch', '--frobnicate'],
  ['dump', '-o', 'xml'],
  ['dump', '--output'],
  ['edit', 'setting'],
  ['edit'],
  ['delete', 'setting'],
  ['nonsense-command'],
  ['--organization-id', 'not-a-uuid', 'epoch'],
  ['--organization-id', '00000000-0000-0000-0000-00000000000g', 'epoch'],
  ['--retry-timeout', 'abc', 'epoch'],
  ['--retry-timeout', '-5s', 'epoch'],
  ['--busy-timeout', 'forever', 'epoch'],
  ['dump', '--ignore'],
  ['dump', '-i', 'audit_log', '-i'],
  ['upgrade-check', '{"bad json'],
]

/** `n` cases, deterministic for the generator's seed. */
export function badInputCases(rng: Rng, n: number, huge = true): BadInputCase[] {
  const out: BadInputCase[] = []
  const gens: readonly (() => BadInputCase)[] = [
    () => ({
      category: 'invalid JSON key',
      argv: ['edit', 'setting', mutate(rng, rng.pick(BROKEN_JSON)), '{"value":"x"}', '--yes'],
      expect: [2],
    }),
    () => ({
      category: 'invalid JSON value',
      argv: ['edit', 'setting', '{"name":"bad_input"}', mutate(rng, rng.pick(BROKEN_JSON)), '--yes'],
      expect: [2],
    }),
    () => ({ category: 'wrong key shape', argv: ['edit', 'setting', rng.pick(WRONG_KEYS), '{"value":"x"}', '--yes'], expect: [2] }),
    () => ({
      category: 'wrong value shape',
      argv: ['edit', 'setting', '{"name":"bad_input"}', rng.pick(WRONG_VALUES), '--yes'],
      expect: [2],
    }),
    () => ({ category: 'wrong key shape (delete)', argv: ['delete', 'setting', rng.pick(WRONG_KEYS), '--yes'], expect: [2] }),
    () => ({
      category: 'unknown collection',
      argv: [rng.pick(['edit', 'delete']), unknownCollection(rng), '{"name":"a"}', ...(rng.chance(0.5) ? ['{"value":"x"}'] : []), '--yes'],
      expect: [2],
    }),
    () => ({ category: 'unknown collection (dump -i)', argv: ['dump', '--stats-only', '-i', unknownCollection(rng)], expect: [2] }),
    () => ({
      category: 'not a u64',
      argv: ['edit', rng.pick(['config', 'id_alloc']), '{"key":"bad_input"}', `{"value":${rng.pick(BAD_U64)}}`, '--yes'],
      expect: [2],
    }),
    () => ({
      category: 'not a u64 (id_alloc)',
      argv: ['edit', 'id_alloc', '{"name":"bad_input"}', `{"next_id":${rng.pick(BAD_U64)}}`, '--yes'],
      expect: [2],
    }),
    () => ({
      category: 'boundary u64 (dry run)',
      argv: ['edit', 'config', '{"key":"bad_input"}', `{"value":${rng.pick(GOOD_U64)}}`, '--dry-run'],
      expect: [0],
    }),
    () => ({
      category: 'unicode name (dry run)',
      argv: ['edit', 'setting', JSON.stringify({ name: unicodeWord(rng) }), JSON.stringify({ value: unicodeWord(rng) }), '--dry-run'],
      expect: [0],
    }),
    () => ({
      category: 'unicode in the wrong place',
      argv: ['edit', 'setting', `{"${unicodeWord(rng)}":5}`, '{"value":"x"}', '--yes'],
      expect: [2],
    }),
    () => ({
      category: 'lone surrogate (dry run)',
      argv: ['edit', 'setting', '{"name":"\\ud800"}', '{"value":"x"}', '--dry-run'],
      expect: [0, 2],
    }),
    () => ({
      category: 'absent key (delete)',
      argv: ['delete', 'setting', JSON.stringify({ name: `absent_${rng.word(8)}` }), '--yes'],
      expect: [3],
    }),
    () => ({
      category: 'missing @file',
      argv: ['edit', 'setting', `@/nonexistent/${rng.word(6)}.json`, '{"value":"x"}', '--yes'],
      expect: [3],
    }),
    () => ({
      category: 'bad stdin',
      argv: ['edit', 'setting', '{"name":"bad_input"}', '-', '--yes'],
      stdin: mutate(rng, rng.pick(BROKEN_JSON)),
      expect: [2],
    }),
    () => ({
      category: 'not confirmed',
      argv: ['edit', 'setting', JSON.stringify({ name: `unconfirmed_${rng.word(5)}` }), '{"value":"x"}'],
      expect: [4],
    }),
    () => ({ category: 'bad flags', argv: [...rng.pick(BAD_FLAGS)], expect: [2] }),
    () => ({
      category: 'sizes of the wrong shape (upgrade-check)',
      argv: ['upgrade-check', rng.pick(['[1,2,3]', '"big"', '{"xl":5}', 'null'])],
      expect: [2, 6],
    }),
    () => ({
      category: 'deep nesting',
      argv: ['edit', 'setting', `${'['.repeat(rng.int(600, 100_000))}${']'.repeat(rng.int(0, 10))}`, '{"value":"x"}', '--yes'],
      expect: [2],
    }),
  ]
  for (let i = 0; i < n; i++) out.push(gens[i % gens.length]!())
  if (!huge) return out
  // A few 10 MiB values: a valid one (dry run: accepted, nothing written), invalid ones refused.
  const big = 'x'.repeat(10 * MIB)
  out.push({
    category: '10 MiB value (dry run)',
    argv: ['edit', 'setting', '{"name":"big"}', JSON.stringify({ value: big }), '--dry-run'],
    expect: [0],
  })
  out.push({ category: '10 MiB invalid JSON', argv: ['edit', 'setting', '{"name":"big"}', `{"value":"${big}`, '--yes'], expect: [2] })
  out.push({ category: '10 MiB wrong shape', argv: ['edit', 'setting', `{"name":["${big}"]}`, '{"value":"x"}', '--yes'], expect: [2] })
  out.push({ category: '10 MiB key (delete, absent)', argv: ['delete', 'setting', JSON.stringify({ name: big }), '--yes'], expect: [3] })
  return out
}

function unknownCollection(rng: Rng): string {
  return rng.pick([
    rng.word(rng.int(1, 12)),
    `setting${rng.word(1)}`,
    'Setting',
    ' setting',
    'audit-log',
    unicodeWord(rng),
    '',
    '../setting',
    'setting\n',
  ])
}

function unicodeWord(rng: Rng): string {
  return Array.from({ length: rng.int(1, 4) }, () => rng.pick(UNICODE)).join('') + rng.word(rng.int(0, 3))
}

/** Sometimes pads or duplicates a broken document, keeping it broken. */
function mutate(rng: Rng, s: string): string {
  switch (rng.int(0, 3)) {
    case 0:
      return `  ${s}\n`
    case 1:
      return s + s
    default:
      return s
  }
}
