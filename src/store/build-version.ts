/**
 * This build's identity: the version it stamps on shard state (the `version` of catalog-debug's
 * package.json) and the commit it was built from (`build-info.json`, written beside package.json
 * by `scripts/build-info.mjs` at build time). Both are found by walking up from this module (the
 * same code runs from `dist/` and from `build/src/`) and read once, when this module is imported.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The commit of a build that does not know its own (no build step ran, or not built from git). */
const UNKNOWN_SHA = '0'.repeat(40)

function packageRoot(): { dir: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown }
      if (pkg.name === 'catalog-debug' && typeof pkg.version === 'string') return { dir, version: pkg.version }
    } catch {
      // No package.json here (or not ours): keep walking up.
    }
    const parent = dirname(dir)
    if (parent === dir) throw new Error('catalog-debug: cannot find package.json to read the build version')
    dir = parent
  }
}

function readBuildSha(dir: string): string {
  try {
    const info = JSON.parse(readFileSync(join(dir, 'build-info.json'), 'utf8')) as { sha?: unknown }
    return typeof info.sha === 'string' && /^[0-9a-f]{40}$/.test(info.sha) ? info.sha : UNKNOWN_SHA
  } catch {
    return UNKNOWN_SHA
  }
}

const root = packageRoot()

/** This build's version (semver). */
export const BUILD_VERSION: string = root.version

/** The 40-digit commit this build was made from (all zeros when unknown). */
export const BUILD_SHA: string = readBuildSha(root.dir)

/**
 * A version as Materialize's `BuildInfo::human_version` prints it: `v0.91.0 (1a2b3c4d5)`, with the
 * first nine hex digits of this build's commit.
 */
export function humanVersion(version: string = BUILD_VERSION): string {
  return `v${version} (${BUILD_SHA.slice(0, 9)})`
}
