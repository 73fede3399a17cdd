/**
 * Conventions an operator's fingers expect, through real processes: `completion bash|zsh|fish`
 * (scripts that really complete, in the shells installed here), suggestions for mistyped flags,
 * commands and collection names, `-V` and `version`.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { parseJson } from '../../src/json/lossless-json.js'
import { repoRoot } from '../helpers/cli-golden.js'
import { tempDir, type FixtureDir } from '../helpers/cli-fixture.js'
import { CLI_BIN, spawnCli } from '../helpers/cli-process.js'

function installed(shell: string): boolean {
  return spawnSync(shell, ['-c', 'exit 0']).status === 0
}

describe('completion', () => {
  let fx: FixtureDir
  let path: string
  before(() => {
    // The scripts call `catalog-debug` by name: put one on PATH.
    fx = tempDir()
    const bin = join(fx.dir, 'catalog-debug')
    writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${CLI_BIN}" "$@"\n`)
    chmodSync(bin, 0o755)
    path = `${fx.dir}:${process.env.PATH ?? ''}`
  })
  after(() => fx.cleanup())

  /** Runs `script` in `shell` with the program on PATH; returns stdout lines. */
  function inShell(shell: string, script: string): string[] {
    const r = spawnSync(shell, ['-c', script], { encoding: 'utf8', env: { PATH: path, HOME: fx.dir } })
    assert.equal(r.status, 0, `${shell}: ${r.stderr}`)
    return r.stdout.split('\n').filter((l) => l !== '')
  }

  test('bash: the script completes commands, options, option values and collection names, without bogus flags', () => {
    const complete = (...words: string[]): string[] =>
      inShell(
        'bash',
        `source <(catalog-debug completion bash)
COMP_WORDS=(catalog-debug ${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}
_catalog_debug_completions; printf '%s\\n' "\${COMPREPLY[@]}"`,
      )
    assert.deepEqual(complete('dump', '--cons'), ['--consolidate'])
    assert.deepEqual(complete('de'), ['delete', 'describe'])
    assert.deepEqual(complete('edit', 'sett'), ['setting'])
    assert.deepEqual(complete('--store', 'x.db', 'describe', 'clu'), ['cluster'])
    assert.deepEqual(complete('graph', '-o', 'nd'), ['ndjson'])
    const options = complete('dump', '-')
    for (const bogus of ['--q', '--v', '--o', '--i', '--c']) assert.ok(!options.includes(bogus), `${bogus} offered: ${options.join(' ')}`)
    for (const real of ['-q', '--quiet', '-o', '--output', '-i', '--ignore', '-c', '--consolidate']) assert.ok(options.includes(real), real)
    assert.deepEqual(complete('--store', ''), [], 'a path: left to the shell’s file completion')
  })

  test('zsh and fish: each gets its own script (checked by the shell when installed); an unknown shell is a usage error', async () => {
    const zsh = await spawnCli(['completion', 'zsh'])
    assert.equal(zsh.code, 0, zsh.stderr)
    assert.match(zsh.stdout, /^#compdef catalog-debug\n/)
    const fish = await spawnCli(['completion'], { env: { SHELL: '/usr/bin/fish' } })
    assert.equal(fish.code, 0, fish.stderr)
    assert.match(fish.stdout, /^complete -c catalog-debug /m)
    if (installed('zsh')) {
      // The completion function, called as zsh's completion system would, with compadd and _files recorded.
      const zshComplete = (...words: string[]): string[] =>
        inShell(
          'zsh',
          `autoload -U compinit; compinit -u
source <(catalog-debug completion zsh)
compadd() { print -l -- "\${@[2,-1]}" }
_files() { print FILES }
words=(catalog-debug ${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length + 1}; _catalog_debug`,
        )
      assert.deepEqual(zshComplete('dump', '--cons'), ['--consolidate'])
      assert.deepEqual(zshComplete('--store', ''), ['FILES'])
    }
    if (installed('fish')) {
      assert.deepEqual(inShell('fish', `catalog-debug completion fish | source; complete -C 'catalog-debug dump --consol'`), [
        '--consolidate',
      ])
    }
    const tcsh = await spawnCli(['completion', 'tcsh'])
    assert.equal(tcsh.code, 2)
    assert.match(tcsh.stderr, /Choices: "bash", "zsh", "fish"/)
  })
})

describe('suggestions and version', () => {
  test('a mistyped flag, command or collection name gets a "did you mean"', async () => {
    const flag = await spawnCli(['--store', 'x.ndjson', 'dump', '--consolidat'])
    assert.equal(flag.code, 2)
    assert.match(flag.stderr, /Unknown argument: consolidat\nhint: --consolidat: did you mean --consolidate\?\n$/)
    const command = await spawnCli(['--store', 'x.db', 'dupm'])
    assert.equal(command.code, 2)
    assert.match(command.stderr, /unknown command "dupm"\nhint: did you mean dump\?\n$/)
    const collection = await spawnCli(['--store', join(repoRoot(), 'fixtures', 'demo-v47.ndjson'), 'get', 'sttings', '{"name":"x"}'])
    assert.equal(collection.code, 2)
    assert.match(collection.stderr, /unknown collection "sttings".*\nhint: did you mean setting\?\n$/)
  })

  test('-V, --version and `version` print the version; `version -o json` as a document', async () => {
    const [short, long, command, json] = await Promise.all([
      spawnCli(['-V']),
      spawnCli(['--version']),
      spawnCli(['version']),
      spawnCli(['version', '-o', 'ndjson']),
    ])
    assert.match(short.stdout, /^v\d+\.\d+\.\d+ \([0-9a-f]{9}\)\n$/)
    assert.equal(long.stdout, short.stdout)
    assert.equal(command.stdout, short.stdout)
    assert.deepEqual(parseJson(json.stdout), { version: short.stdout.trim() })
  })
})
