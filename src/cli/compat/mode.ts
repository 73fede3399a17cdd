/**
 * Whether a run is in Materialize-compatible mode: `--compat materialize` (or
 * `--compat=materialize`) anywhere before a `--`, or `CATALOG_DEBUG_COMPAT=materialize` in the
 * environment. `main` asks this first; in compat mode the rest of the command line is read as
 * Materialize's tool reads it (see `parser.ts`, docs/compat-materialize.md), and the usual
 * parser never sees it. `--compat none` is the usual mode, for one run of a script that sets the
 * variable.
 */
import { UsageError } from '../../errors.js'

export const COMPAT_ENV = 'CATALOG_DEBUG_COMPAT'
/** `none` is the usual mode: a flag that turns off a `CATALOG_DEBUG_COMPAT` set for a whole script. */
const MODES = ['materialize', 'none'] as const

function checkMode(value: string, where: string): void {
  if (!(MODES as readonly string[]).includes(value)) {
    throw new UsageError(`unknown ${where} "${value}": expected "materialize" (or "none", the usual mode)`, { code: 'unknown-compat-mode' })
  }
}

export type CompatMode = (typeof MODES)[number]

/**
 * The mode asked for and the arguments without the `--compat` flag, or undefined when neither the
 * flag nor the environment asks for one. The flag beats the environment; an unknown mode in either
 * is a usage error.
 */
export function compatArguments(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { readonly mode: CompatMode; readonly argv: string[] } | undefined {
  const end = argv.indexOf('--')
  const rest: string[] = []
  let flag: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (end !== -1 && i >= end) {
      rest.push(a)
    } else if (a === '--compat') {
      const value = argv[i + 1]
      if (value === undefined || (end !== -1 && i + 1 >= end)) throw new UsageError('--compat needs a value: --compat materialize')
      flag = value
      i++
    } else if (a.startsWith('--compat=')) {
      flag = a.slice('--compat='.length)
    } else {
      rest.push(a)
    }
  }
  if (flag !== undefined) {
    checkMode(flag, '--compat mode')
    return { mode: flag as CompatMode, argv: rest }
  }
  const fromEnv = env[COMPAT_ENV]
  if (fromEnv === undefined || fromEnv === '') return undefined
  checkMode(fromEnv, `${COMPAT_ENV} value`)
  return { mode: fromEnv as CompatMode, argv: rest }
}
