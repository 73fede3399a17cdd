/**
 * `fileLines`, the fixture file reader `import` streams from (read in chunks and split by hand
 * since issue 13): the lines `readline` gave, across chunk boundaries, and the line of a byte that
 * is not UTF-8 however far into the file it is.
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { after, it } from 'node:test'
import { fileLines } from '../../src/catalog/fixture/reader.js'
import { makeTempDir } from '../helpers/tmp.js'

const tmp = makeTempDir()
after(() => tmp.cleanup())
let n = 0

async function linesOf(content: string | Buffer): Promise<string[]> {
  const path = tmp.path(`f${n++}.ndjson`)
  writeFileSync(path, content)
  const out: string[] = []
  for await (const line of fileLines(path)) out.push(line)
  return out
}

it('splits at \\n, \\r\\n and a lone \\r; a final terminator adds no line, a missing one loses none', async () => {
  assert.deepEqual(await linesOf('a\nb\r\nc\rd\n'), ['a', 'b', 'c', 'd'])
  assert.deepEqual(await linesOf('a\nb'), ['a', 'b'])
  assert.deepEqual(await linesOf('a\n\nb\n'), ['a', '', 'b'])
  assert.deepEqual(await linesOf(''), [])
})

it('keeps lines whole across read chunks, multi-byte characters and \\r\\n split between chunks included', async () => {
  // Lines of every length around the 64 KiB chunk, with a 3-byte character and a \r\n at the edges.
  const lines = ['x'.repeat(65535), `€${'y'.repeat(70000)}€`, 'short', 'z'.repeat(200000), 'tail']
  assert.deepEqual(await linesOf(`${lines.join('\r\n')}\r\n`), lines)
  assert.deepEqual(await linesOf(lines.join('\n')), lines)
})

it('names the line of a byte that is not UTF-8, far into the file', async () => {
  const before = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'p'.repeat(40)}`).join('\n')
  const bad = Buffer.concat([Buffer.from(`${before}\nok\n`), Buffer.from([0x61, 0xc3, 0x28]), Buffer.from('\nafter\n')])
  await assert.rejects(linesOf(bad), (err: Error) => {
    assert.match(err.message, /f\d+\.ndjson:3002: .*not valid UTF-8/)
    return true
  })
})
