/**
 * A small parser for the Graphviz DOT language, enough to check what `graph` writes: a `graph` or
 * `digraph` with node, edge and attribute statements, `a = b` assignments and subgraphs, IDs as
 * bare words, numerals or double-quoted strings (with `\"` escapes), `//`, `/* *\/` and `#` comments.
 * A syntax error throws, naming the offset. Returns the nodes and edges with their attributes.
 */

export interface DotGraph {
  readonly directed: boolean
  readonly name: string | undefined
  /** Node id → attributes (a node first seen in an edge has none). */
  readonly nodes: Map<string, Record<string, string>>
  readonly edges: { from: string; to: string; attrs: Record<string, string> }[]
}

type Token = { type: 'id' | 'punct' | 'arrow'; text: string; quoted: boolean; at: number }

function tokenize(src: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < src.length) {
    const c = src[i]!
    if (/\s/.test(c)) i++
    else if (src.startsWith('//', i) || (c === '#' && (i === 0 || src[i - 1] === '\n'))) {
      while (i < src.length && src[i] !== '\n') i++
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2)
      if (end === -1) throw new SyntaxError(`unterminated comment at ${i}`)
      i = end + 2
    } else if (src.startsWith('->', i) || src.startsWith('--', i)) {
      out.push({ type: 'arrow', text: src.slice(i, i + 2), quoted: false, at: i })
      i += 2
    } else if ('{}[];,=:'.includes(c)) {
      out.push({ type: 'punct', text: c, quoted: false, at: i })
      i++
    } else if (c === '"') {
      let text = ''
      let j = i + 1
      for (; j < src.length && src[j] !== '"'; j++) {
        if (src[j] === '\\' && src[j + 1] === '"') {
          text += '"'
          j++
        } else text += src[j]
      }
      if (j >= src.length) throw new SyntaxError(`unterminated string at ${i}`)
      out.push({ type: 'id', text, quoted: true, at: i })
      i = j + 1
    } else {
      const m = /^(?:[A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*|-?(?:\.\d+|\d+(?:\.\d*)?))/.exec(src.slice(i))
      if (m === null) throw new SyntaxError(`unexpected character ${JSON.stringify(c)} at ${i}`)
      out.push({ type: 'id', text: m[0], quoted: false, at: i })
      i += m[0].length
    }
  }
  return out
}

export function parseDot(src: string): DotGraph {
  const tokens = tokenize(src)
  let p = 0
  const peek = (): Token | undefined => tokens[p]
  const fail = (what: string): never => {
    const t = peek()
    throw new SyntaxError(`expected ${what} at ${t === undefined ? 'end of input' : `${t.at} (${JSON.stringify(t.text)})`}`)
  }
  const isKeyword = (t: Token | undefined, word: string): boolean =>
    t !== undefined && t.type === 'id' && !t.quoted && t.text.toLowerCase() === word
  const punct = (text: string): boolean => {
    const t = peek()
    if (t?.type === 'punct' && t.text === text) {
      p++
      return true
    }
    return false
  }
  const id = (): string => {
    const t = peek()
    if (t?.type !== 'id') return fail('an ID')
    p++
    return t.text
  }

  if (isKeyword(peek(), 'strict')) p++
  const directed = isKeyword(peek(), 'digraph')
  if (!directed && !isKeyword(peek(), 'graph')) fail('graph or digraph')
  p++
  const name = peek()?.type === 'id' ? id() : undefined
  const nodes = new Map<string, Record<string, string>>()
  const edges: DotGraph['edges'] = []

  const attrList = (): Record<string, string> => {
    const attrs: Record<string, string> = {}
    while (punct('[')) {
      while (!punct(']')) {
        const k = id()
        if (!punct('=')) fail('=')
        attrs[k] = id()
        punct(',') || punct(';')
      }
    }
    return attrs
  }
  const nodeId = (): string => {
    const n = id()
    if (punct(':')) {
      id()
      if (punct(':')) id()
    }
    return n
  }
  const touch = (n: string): void => {
    if (!nodes.has(n)) nodes.set(n, {})
  }
  /** An edge endpoint: a node id or a subgraph (whose nodes it stands for). */
  const operand = (): string[] => {
    if (peek()?.type === 'punct' && peek()!.text === '{') return subgraphBody()
    if (isKeyword(peek(), 'subgraph')) {
      p++
      if (peek()?.type === 'id') id()
      return subgraphBody()
    }
    const n = nodeId()
    touch(n)
    return [n]
  }
  const subgraphBody = (): string[] => {
    if (!punct('{')) fail('{')
    const before = new Set(nodes.keys())
    statements()
    return [...nodes.keys()].filter((n) => !before.has(n))
  }
  const statements = (): void => {
    while (!punct('}')) {
      if (peek() === undefined) fail('}')
      const t = peek()!
      if (isKeyword(t, 'node') || isKeyword(t, 'edge') || (isKeyword(t, 'graph') && tokens[p + 1]?.text === '[')) {
        p++
        attrList()
      } else if (t.type === 'id' && tokens[p + 1]?.type === 'punct' && tokens[p + 1]?.text === '=') {
        p += 2
        id()
      } else {
        let left = operand()
        if (peek()?.type === 'arrow') {
          const chain: string[][] = [left]
          while (peek()?.type === 'arrow') {
            if (peek()!.text !== (directed ? '->' : '--')) fail(directed ? '->' : '--')
            p++
            chain.push(operand())
          }
          const attrs = attrList()
          for (let i = 0; i + 1 < chain.length; i++)
            for (const from of chain[i]!) for (const to of chain[i + 1]!) edges.push({ from, to, attrs })
          left = []
        } else if (left.length === 1) {
          Object.assign(nodes.get(left[0]!)!, attrList())
        }
      }
      punct(';') || punct(',')
    }
  }
  if (!punct('{')) fail('{')
  statements()
  if (p !== tokens.length) fail('end of input')
  return { directed, name, nodes, edges }
}
