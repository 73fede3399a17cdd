/**
 * Long runs (the benchmark, the reliability suite) execute from a private copy of `build/`.
 * Other people rebuild `build/` while such a run spawns hundreds of child processes for many
 * minutes; a child that starts during a rebuild would load a half-written module. The copy lives
 * inside the repository (`bench/data/`, git-ignored) so that packages and `package.json` still
 * resolve from it, and is removed when the run ends.
 */
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const SNAPSHOT_ENV = 'CATALOG_DEBUG_BUILD_SNAPSHOT'

/** The repository root: the nearest directory up from here whose package.json is catalog-debug's. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'catalog-debug') return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error('cannot find the catalog-debug repository root')
    dir = parent
  }
}

/**
 * Unless already running from a snapshot, copies `build/` and re-runs `script` (a path relative
 * to `build/`) from the copy with the same arguments and stdio; resolves with its exit code.
 * Resolves `undefined` when this process is the snapshot run and should just go on.
 */
export async function runFromBuildSnapshot(script: string): Promise<number | undefined> {
  if (process.env[SNAPSHOT_ENV] !== undefined) return undefined
  const root = repoRoot()
  const build = resolve(root, 'build')
  const snapshot = join(root, 'bench', 'data', `build-snapshot-${process.pid}`)
  mkdirSync(snapshot, { recursive: true })
  try {
    cpSync(build, snapshot, { recursive: true })
    const child = spawn(process.execPath, [join(snapshot, script), ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, [SNAPSHOT_ENV]: relative(root, snapshot) },
    })
    return await new Promise<number>((res, rej) => {
      child.on('error', rej)
      child.on('close', (code, signal) => res(code ?? (signal === null ? 1 : 128)))
    })
  } finally {
    rmSync(snapshot, { recursive: true, force: true })
  }
}
