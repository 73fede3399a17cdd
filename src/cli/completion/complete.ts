/**
 * Completion candidates for a partial command line, computed from the same tables the parser
 * uses (the commands, their options and aliases, the option choices), so completion never offers
 * what the parser would refuse. The shell scripts (`scripts.ts`) call `catalog-debug __complete
 * WORD…` with the words typed so far, the last being the word under the cursor; the answer is one
 * candidate per line, already filtered by that word. No candidates: the shell completes file names.
 */
import type { Options } from 'yargs'
import { COLLECTION_NAMES } from '../../catalog/kinds/collections.js'
import { KIND_NAMES } from '../../catalog/names/resolve.js'
import type { CommandDefinition } from '../command.js'
import { COMMANDS } from '../commands/index.js'
import { GLOBAL_OPTIONS, type OptionTable } from '../options.js'

/** The shells `completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

/** The hidden first word the completion scripts call the program with. */
export const COMPLETE_WORD = '__complete'

/** Options whose values are collection names, kinds, … (beyond the `choices` an option declares). */
const VALUE_LISTS: Readonly<Record<string, readonly string[]>> = {
  only: COLLECTION_NAMES,
  ignore: COLLECTION_NAMES,
  kind: KIND_NAMES,
}

/** The first positional of these commands is a collection, a kind or a shell. */
function firstPositional(command: string): readonly string[] | undefined {
  if (['edit', 'delete', 'history', 'get', 'undo'].includes(command)) return COLLECTION_NAMES
  if (command === 'describe') return KIND_NAMES
  if (command === 'completion') return SHELLS
  return undefined
}

interface OptionInfo {
  readonly name: string
  readonly spec: Options
}

/** Every spelling of every option in `table`: `--name`, `--alias` (long) and `-a` (one letter). */
function spellings(table: OptionTable): Map<string, OptionInfo> {
  const out = new Map<string, OptionInfo>()
  for (const [name, spec] of Object.entries(table)) {
    out.set(`--${name}`, { name, spec })
    const aliases = spec.alias === undefined ? [] : Array.isArray(spec.alias) ? spec.alias : [spec.alias]
    for (const a of aliases as string[]) out.set(a.length === 1 ? `-${a}` : `--${a}`, { name, spec })
  }
  return out
}

/** Whether an option consumes the next word as its value. */
function takesValue(spec: Options): boolean {
  return spec.type !== 'boolean' && spec.count !== true
}

/** The options a command line may hold: the globals, a command's own, help (and version before a command). */
export function optionSpellings(def: CommandDefinition<unknown> | undefined): string[] {
  const own = spellings({ ...GLOBAL_OPTIONS, ...def?.options })
  return [...own.keys(), '--help', '-h', ...(def === undefined ? ['--version', '-V'] : [])]
}

/** The first word of `argv` that is neither an option nor an option's value (the command, if any). */
export function firstPositionalWord(argv: readonly string[]): string | undefined {
  const table = spellings(GLOBAL_OPTIONS)
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!
    if (!w.startsWith('-')) return w
    const info = table.get(w)
    if (info !== undefined && takesValue(info.spec)) i++
  }
  return undefined
}

/** Candidates for the last of `words` (the word being typed), given the words before it. */
export function completionCandidates(words: readonly string[]): string[] {
  const current = words.at(-1) ?? ''
  const before = words.slice(0, -1)
  const byName = new Map(COMMANDS.map((c) => [c.name, c]))
  let def: CommandDefinition<unknown> | undefined
  let positionals = 0
  let pending: OptionInfo | undefined
  for (const w of before) {
    if (pending !== undefined) {
      pending = undefined
      continue
    }
    const table = spellings({ ...GLOBAL_OPTIONS, ...def?.options })
    if (w.startsWith('-')) {
      const info = table.get(w.split('=')[0] ?? w)
      if (info !== undefined && takesValue(info.spec) && !w.includes('=')) pending = info
    } else if (def === undefined) def = byName.get(w)
    else positionals++
  }
  const pick = (list: readonly string[]): string[] => list.filter((c) => c.startsWith(current))
  if (pending !== undefined) {
    const choices = pending.spec.choices as readonly string[] | undefined
    return pick(choices ?? VALUE_LISTS[pending.name] ?? [])
  }
  if (current.startsWith('-')) return pick(optionSpellings(def))
  if (def === undefined) return pick(COMMANDS.map((c) => c.name))
  if (positionals === 0) return pick(firstPositional(def.name) ?? [])
  return []
}
