/**
 * The layer rules of docs/architecture.md, checked on the source: every import in `src/` is read
 * (static `import … from`, `export … from` and dynamic `import('…')`) and resolved to the layer it
 * lands in. A new import that crosses a rule fails here, naming the file, the line and the rule.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { test } from 'node:test'
import { repositoryRoot } from '../../scripts/make-fixtures.js'

const SRC = join(repositoryRoot(), 'src')

/** The layer of a module: its first folder under `src/` (or the file's own name at the top). */
function layerOf(srcRelative: string): string {
  const first = srcRelative.split('/')[0] ?? ''
  return first.replace(/\.(ts|js)$/, '')
}

interface Import {
  readonly from: string
  readonly line: number
  /** Target relative to `src/`, with a `.ts` ending, or undefined for a package. */
  readonly target: string | undefined
  readonly specifier: string
  readonly typeOnly: boolean
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f))
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'|import\(\s*'([^']+)'\s*\)/g

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8')
  const from = relative(SRC, file)
  const out: Import[] = []
  for (const m of text.matchAll(IMPORT)) {
    const specifier = m[2] ?? m[3] ?? ''
    const line = text.slice(0, m.index).split('\n').length
    const target = specifier.startsWith('.') ? relative(SRC, normalize(join(dirname(file), specifier))).replace(/\.js$/, '.ts') : undefined
    out.push({ from, line, target, specifier, typeOnly: m[1] !== undefined })
  }
  return out
}

interface Rule {
  readonly name: string
  readonly breaks: (i: Import) => boolean
}

const layer = (i: Import): string | undefined => (i.target === undefined ? undefined : layerOf(i.target))

const RULES: readonly Rule[] = [
  {
    name: 'the catalog never imports the command line or the renderers',
    breaks: (i) => layerOf(i.from) === 'catalog' && ['cli', 'render'].includes(layer(i) ?? ''),
  },
  {
    name: 'the store never imports the catalog, the command line or the renderers',
    breaks: (i) => layerOf(i.from) === 'store' && ['catalog', 'cli', 'render', 'retry'].includes(layer(i) ?? ''),
  },
  {
    name: 'the renderers never import the store or the command line',
    breaks: (i) => layerOf(i.from) === 'render' && ['store', 'cli'].includes(layer(i) ?? ''),
  },
  { name: 'the retry policy never imports the command line', breaks: (i) => layerOf(i.from) === 'retry' && layer(i) === 'cli' },
  {
    name: 'the neutral modules (errors, json) import no layer',
    breaks: (i) => ['errors', 'json'].includes(layerOf(i.from)) && !['errors', 'json', undefined].includes(layer(i)),
  },
  { name: 'nothing imports the command line from outside it', breaks: (i) => layerOf(i.from) !== 'cli' && layer(i) === 'cli' },
  {
    name: 'the command line reaches the store only through src/store/index.ts',
    breaks: (i) => layerOf(i.from) === 'cli' && layer(i) === 'store' && i.target !== 'store/index.ts',
  },
  {
    name: 'better-sqlite3 is imported only by src/store/sqlite/, pg only by src/store/postgres/',
    breaks: (i) =>
      (i.specifier === 'better-sqlite3' && !i.from.startsWith('store/sqlite/')) ||
      (i.specifier === 'pg' && !i.from.startsWith('store/postgres/')),
  },
  {
    name: 'yargs, ora and cli-progress stay in the command line; chalk and cli-table3 in it and the renderers',
    breaks: (i) => {
      if (['yargs', 'yargs/helpers', 'ora', 'cli-progress'].includes(i.specifier)) return layerOf(i.from) !== 'cli'
      if (['chalk', 'cli-table3'].includes(i.specifier)) return !['cli', 'render'].includes(layerOf(i.from))
      return false
    },
  },
]

function violations(files: readonly string[]): string[] {
  const found: string[] = []
  for (const f of files) {
    for (const i of importsOf(f)) {
      for (const r of RULES) if (r.breaks(i)) found.push(`src/${i.from}:${i.line} imports '${i.specifier}': ${r.name}`)
    }
  }
  return found
}

test('every import in src/ keeps the layer rules', () => {
  const files = sourceFiles(SRC)
  assert.ok(files.length > 100, `found only ${files.length} source files under ${SRC}`)
  assert.deepEqual(violations(files), [])
})

test('the import reader sees every form of import', () => {
  const imports = importsOf(join(SRC, 'store', 'open-store.ts')).map((i) => i.specifier)
  assert.ok(imports.includes('../errors.js'), imports.join(', '))
  assert.ok(imports.includes('./sqlite/sqlite-shard-store.js'), 'a dynamic import is read')
  const cli = importsOf(join(SRC, 'cli', 'parser.ts'))
  assert.ok(cli.some((i) => i.target === 'store/index.ts'))
})

test('a crossing import is caught', () => {
  const fake: Import = {
    from: 'render/x.ts',
    line: 1,
    target: 'store/shard-store.ts',
    specifier: '../store/shard-store.js',
    typeOnly: true,
  }
  assert.ok(
    RULES.some((r) => r.breaks(fake)),
    'render → store is refused, even for types',
  )
  const deep: Import = {
    from: 'cli/x.ts',
    line: 1,
    target: 'store/sqlite/schema.ts',
    specifier: '../store/sqlite/schema.js',
    typeOnly: false,
  }
  assert.ok(
    RULES.some((r) => r.breaks(deep)),
    'cli → a store internal is refused',
  )
  const up: Import = { from: 'catalog/x.ts', line: 1, target: 'cli/output.ts', specifier: '../cli/output.js', typeOnly: false }
  assert.ok(
    RULES.some((r) => r.breaks(up)),
    'catalog → cli is refused',
  )
})
