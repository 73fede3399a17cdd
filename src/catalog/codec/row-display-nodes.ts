/**
 * The compiled schemas of the fast display path (`row-display.ts`): for each schema combinator of
 * `kinds/schema.ts`, a scanner that walks a canonical value in place and says whether its display
 * text is its own text or leaves the rebuilt text behind, and bails out on anything the full
 * decoder would read differently.
 */
import {
  bool,
  i32,
  i64,
  string,
  u32,
  u64,
  unit,
  type EnumSchema,
  type FlagsSchema,
  type MessageSchema,
  type OneofSchema,
  type Schema,
  type WrapperSchema,
} from '../kinds/schema.js'
import { compareCodePoints } from '../../json/lossless-json.js'
import { scanCanonicalInteger, scanCanonicalString } from './canonical-scan.js'

/** Thrown inside a scan when the fast path cannot answer; never escapes `row-display.ts`. */
export const BAIL = Symbol('not a canonical exact row')

/** One compiled schema. */
export interface Node {
  /** Whether the display text of a value is its canonical text (a slice of the row stands for it). */
  readonly identity: boolean
  /**
   * Scans one value starting at `i` and returns the index after it; when not `identity`, leaves its
   * display text in {@link out}. Throws {@link BAIL}.
   */
  readonly run: (t: string, i: number) => number
}

/** The display text of the last non-identity value scanned (read it right after the call). */
let out = ''

function bail(): never {
  throw BAIL
}

/** Display text of the value `node` just scanned over `t[start, end)`. */
export function textOf(node: Node, t: string, start: number, end: number): string {
  return node.identity ? t.slice(start, end) : out
}

/** A string exactly as `JSON.stringify` writes it (so its display text is itself). */
function scanString(t: string, i: number): number {
  const end = scanCanonicalString(t, i)
  if (end < 0) bail()
  return end
}

/**
 * A canonical integer within the range: `maxPos`/`maxNeg` are the largest magnitudes as digit
 * strings (`maxNeg` null: unsigned).
 */
function integerNode(maxPos: string, maxNeg: string | null): Node {
  return {
    identity: true,
    run(t, i) {
      const end = scanCanonicalInteger(t, i)
      if (end < 0) bail()
      const neg = t.charCodeAt(i) === 45
      if (neg && maxNeg === null) bail()
      const start = neg ? i + 1 : i
      const max = neg ? (maxNeg as string) : maxPos
      const n = end - start
      if (n > max.length || (n === max.length && t.slice(start, end) > max)) bail()
      return end
    },
  }
}

/** An enum value in 1..max (small: compared as a number). */
function enumNode(max: number): Node {
  return {
    identity: true,
    run(t, i) {
      const end = scanCanonicalInteger(t, i)
      if (end < 0 || end - i > 10) bail()
      const v = Number(t.slice(i, end))
      if (!(v >= 1 && v <= max)) bail()
      return end
    },
  }
}

/** A u64 of bit flags with no bit outside `mask`. */
function flagsNode(mask: bigint): Node {
  return {
    identity: true,
    run(t, i) {
      const end = U64.run(t, i)
      if ((BigInt(t.slice(i, end)) & ~mask) !== 0n) bail()
      return end
    },
  }
}

const U64 = integerNode('18446744073709551615', null)
const U32 = integerNode('4294967295', null)
const I64 = integerNode('9223372036854775807', '9223372036854775808')
const I32 = integerNode('2147483647', '2147483648')

const STRING: Node = { identity: true, run: scanString }

const BOOL: Node = {
  identity: true,
  run(t, i) {
    if (t.startsWith('true', i)) return i + 4
    if (t.startsWith('false', i)) return i + 5
    bail()
  },
}

const NULL: Node = {
  identity: true,
  run(t, i) {
    if (!t.startsWith('null', i)) bail()
    return i + 4
  },
}

function optionNode(inner: Node): Node {
  return {
    identity: inner.identity,
    run(t, i) {
      if (t.charCodeAt(i) === 110 /* n */ && t.startsWith('null', i)) {
        out = 'null'
        return i + 4
      }
      return inner.run(t, i)
    },
  }
}

function repeatedNode(inner: Node): Node {
  const identity = inner.identity
  return {
    identity,
    run(t, i) {
      if (t.charCodeAt(i) !== 91) bail()
      i++
      if (t.charCodeAt(i) === 93) {
        out = '[]'
        return i + 1
      }
      let s = '['
      for (;;) {
        i = inner.run(t, i)
        if (!identity) s += out
        const c = t.charCodeAt(i)
        if (c === 93) {
          if (!identity) out = `${s}]`
          return i + 1
        }
        if (c !== 44) bail()
        if (!identity) s += ','
        i++
      }
    },
  }
}

function messageNode(schema: MessageSchema<unknown>, compile: (s: Schema<unknown>) => Node, checkOnly: boolean): Node {
  const declared = schema.fields.map(([name]) => name)
  const sorted = [...declared].sort(compareCodePoints)
  const children = sorted.map((name) => compile(schema.fields[declared.indexOf(name)]![1]))
  // What precedes each field in the canonical text: `{"a":`, `,"b":`, … in sorted order.
  const scanPrefixes = sorted.map((name, k) => `${k === 0 ? '{' : ','}${JSON.stringify(name)}:`)
  const slot = sorted.map((name) => declared.indexOf(name))
  const displayPrefixes = declared.map((name, j) => `${j === 0 ? '{' : ','}${JSON.stringify(name)}:`)
  const n = declared.length
  const identity = checkOnly || (children.every((c) => c.identity) && sorted.every((name, k) => name === declared[k]))
  if (n === 0) {
    return {
      identity: true,
      run(t, i) {
        if (t.charCodeAt(i) !== 123 || t.charCodeAt(i + 1) !== 125) bail()
        return i + 2
      },
    }
  }
  return {
    identity,
    run(t, i) {
      if (identity) {
        for (let k = 0; k < n; k++) {
          const p = scanPrefixes[k]!
          if (!t.startsWith(p, i)) bail()
          i = children[k]!.run(t, i + p.length)
        }
        if (t.charCodeAt(i) !== 125) bail()
        return i + 1
      }
      const parts: string[] = new Array<string>(n)
      for (let k = 0; k < n; k++) {
        const p = scanPrefixes[k]!
        if (!t.startsWith(p, i)) bail()
        const start = i + p.length
        const child = children[k]!
        i = child.run(t, start)
        parts[slot[k]!] = textOf(child, t, start, i)
      }
      if (t.charCodeAt(i) !== 125) bail()
      let s = ''
      for (let j = 0; j < n; j++) s += displayPrefixes[j]! + parts[j]!
      out = `${s}}`
      return i + 1
    },
  }
}

function oneofNode(schema: OneofSchema<unknown>, compile: (s: Schema<unknown>) => Node): Node {
  const variants = new Map<string, { node: Node; prefix: string }>()
  for (const [tag, s] of schema.variants) variants.set(tag, { node: compile(s), prefix: `{${JSON.stringify(tag)}:` })
  const identity = [...variants.values()].every((v) => v.node.identity)
  return {
    identity,
    run(t, i) {
      if (t.charCodeAt(i) !== 123 || t.charCodeAt(i + 1) !== 34) bail()
      const q = t.indexOf('"', i + 2)
      if (q < 0 || t.charCodeAt(q + 1) !== 58) bail()
      const v = variants.get(t.slice(i + 2, q))
      if (v === undefined) bail()
      const start = q + 2
      const end = v.node.run(t, start)
      if (t.charCodeAt(end) !== 125) bail()
      if (!identity) out = `${v.prefix + textOf(v.node, t, start, end)}}`
      return end + 1
    },
  }
}

/**
 * Compiles a schema built from the combinators of `kinds/schema.ts`; anything else throws. With
 * `checkOnly`, the nodes only check (every node is `identity`: no display text is built, not even
 * for a message whose fields are displayed in another order), for callers that need only whether a
 * row decodes exactly.
 */
export function compileSchema(schema: Schema<unknown>, checkOnly = false): Node {
  const compile = (inner: Schema<unknown>): Node => compileSchema(inner, checkOnly)
  const s = schema as Schema<unknown> & Partial<WrapperSchema<unknown>>
  switch (schema.type) {
    case 'u64':
      if (schema === (u64 as Schema<unknown>)) return U64
      if (typeof (schema as Partial<FlagsSchema>).mask === 'bigint') return flagsNode((schema as FlagsSchema).mask)
      break
    case 'u32':
      if (schema === (u32 as Schema<unknown>)) return U32
      break
    case 'i64':
      if (schema === (i64 as Schema<unknown>)) return I64
      break
    case 'i32':
      if (schema === (i32 as Schema<unknown>)) return I32
      break
    case 'enum':
      // `enumeration()`: the known variants but Unknown, 1..names.length-1.
      if (Array.isArray((schema as EnumSchema).names)) return enumNode((schema as EnumSchema).names.length - 1)
      break
    case 'string':
      if (schema === (string as Schema<unknown>)) return STRING
      break
    case 'bool':
      if (schema === (bool as Schema<unknown>)) return BOOL
      break
    case 'unit':
      if (schema === (unit as Schema<unknown>)) return NULL
      break
    case 'option':
      if (s.inner !== undefined) return s.required === true ? compile(s.inner) : optionNode(compile(s.inner))
      break
    case 'repeated':
      if (s.inner !== undefined) return repeatedNode(compile(s.inner))
      break
    case 'message':
      return messageNode(schema as MessageSchema<unknown>, compile, checkOnly)
    case 'oneof':
      return oneofNode(schema as OneofSchema<unknown>, compile)
  }
  throw new Error(`no fast display for a ${schema.type} schema`)
}
