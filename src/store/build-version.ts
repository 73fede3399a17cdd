/**
 * The version this build stamps on shard state: the `version` of catalog-debug's package.json,
 * found by walking up from this module (the same code runs from `dist/` and from `build/src/`).
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function readPackageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown }
      if (pkg.name === 'catalog-debug' && typeof pkg.version === 'string') return pkg.version
    } catch {
      // No package.json here (or not ours): keep walking up.
    }
    const parent = dirname(dir)
    if (parent === dir) throw new Error('catalog-debug: cannot find package.json to read the build version')
    dir = parent
  }
}

/** This build's version (semver), read once when this module is first imported. */
export const BUILD_VERSION: string = readPackageVersion()
