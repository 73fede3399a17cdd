/**
 * What a command is to the parser: its yargs declaration (cheap to import) and a loader for its
 * implementation (imported only when the command runs, so `--help` stays fast).
 */
import type { Argv, ArgumentsCamelCase, InferredOptionTypes } from 'yargs'
import type { GLOBAL_OPTIONS, OptionTable } from './options.js'
import type { CommandContext } from './context.js'

/** The parsed global options as yargs types them. */
export type GlobalArgv = InferredOptionTypes<typeof GLOBAL_OPTIONS>

/** The camel-cased arguments a builder produces. */
export type ArgsOf<B> = B extends (y: Argv<GlobalArgv>) => Argv<infer T> ? ArgumentsCamelCase<T> : never

/**
 * What a command does to the store it opens, declared once so that `main` applies the guards that
 * go with it before the handler runs (see docs/architecture.md, "Commands declare their effect"):
 * - `read`: opens stores read-only, never changes one (a fixture `--store` is fine);
 * - `write`: changes an existing store (a fixture `--store` is refused by the guarded write,
 *   except for a dry run);
 * - `create`: may create the store (exclusively, all at once); a fixture is refused before anything;
 * - `none`: opens no store (`completion`).
 *
 * The declaration binds: `main` puts it in the context, and `store-access.ts` refuses (as a bug,
 * exit 70) an open in a mode it does not allow: `read` opens `read` only, `write` also `write`,
 * `create` also `create`, `none` nothing.
 */
export const COMMAND_EFFECTS = ['read', 'write', 'create', 'none'] as const
export type CommandEffect = (typeof COMMAND_EFFECTS)[number]

/** Runs a command; returns its exit code (errors are thrown and mapped by `main`). */
export type CommandRunner<A> = (args: A, ctx: CommandContext) => Promise<number>

export interface CommandDefinition<A = unknown> {
  /** The name as typed (`dump`, `upgrade-check`). */
  readonly name: string
  /** The yargs command string (`dump [target]`). */
  readonly command: string
  readonly describe: string
  /** The command's own options, so that the environment can supply them too. */
  readonly options: OptionTable
  readonly builder: (y: Argv<GlobalArgv>) => Argv<unknown>
  /** Whether the command needs `--store` (every command but `completion`, `diff` and `copy`, which name their stores). */
  readonly needsStore: boolean
  /** What the command does to the store (see {@link CommandEffect}). */
  readonly effect: CommandEffect
  /**
   * The command may write its positional `target` to a file (with `--force` to replace one):
   * `main` checks it by the TARGET rules (`target.ts`) before the handler runs.
   */
  readonly writesTarget: boolean
  readonly load: () => Promise<CommandRunner<A>>
}

/** What `main` needs of a command to apply its guards (the Materialize-compatible commands declare it too). */
export type CommandDeclaration = Pick<CommandDefinition, 'name' | 'needsStore' | 'effect' | 'writesTarget'>

/** Declares a command with its argument types inferred from the builder. */
// biome-ignore lint/suspicious/noExplicitAny: each command's builder yields its own argument type; the registry holds them all
export function defineCommand<B extends (y: Argv<GlobalArgv>) => Argv<any>>(def: {
  name: string
  command: string
  describe: string
  options: OptionTable
  builder: B
  needsStore?: boolean
  /** Default: `read` for a command that needs `--store`, else `none`. */
  effect?: CommandEffect
  writesTarget?: boolean
  load: () => Promise<CommandRunner<ArgsOf<B>>>
}): CommandDefinition<ArgsOf<B>> {
  return {
    ...def,
    needsStore: def.needsStore ?? true,
    effect: def.effect ?? ((def.needsStore ?? true) ? 'read' : 'none'),
    writesTarget: def.writesTarget ?? false,
    builder: def.builder as unknown as CommandDefinition['builder'],
  }
}
