/**
 * The run prefix of a stored row: in canonical JSON a row starts `{"key":K,"kind":"X"` (keys sort
 * first), and K is one complete JSON value, so in data byte order every row of one (key, kind)
 * lies in one contiguous run, and runs are ordered as their prefixes are. Readers of a
 * consolidated stream in data order (`diff`, `verify`) group rows by it without parsing them.
 */

const KEY_HEAD = '{"key":'
const KIND_HEAD = ',"kind":"'

/**
 * The end (exclusive) of the JSON value starting at `i` in canonical text (no whitespace), or -1
 * when there is none.
 */
function valueEnd(s: string, i: number): number {
  let depth = 0
  let inString = false
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j)
    if (inString) {
      if (c === 92 /* \ */) j++
      else if (c === 34 /* " */) {
        inString = false
        if (depth === 0) return j + 1
      }
      continue
    }
    if (c === 34) inString = true
    else if (c === 32 || c === 9 || c === 10 || c === 13) return -1
    else if (c === 123 /* { */ || c === 91 /* [ */) depth++
    else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--
      if (depth === 0) return j + 1
      if (depth < 0) return -1
    } else if (depth === 0 && (c === 44 /* , */ || c === 58) /* : */) return j
  }
  return -1
}

/** `{"key":K,"kind":"X"` of a row of that shape, else `undefined`. */
export function runPrefix(data: string): string | undefined {
  if (!data.startsWith(KEY_HEAD)) return undefined
  const keyEnd = valueEnd(data, KEY_HEAD.length)
  if (keyEnd <= KEY_HEAD.length || !data.startsWith(KIND_HEAD, keyEnd)) return undefined
  const kindEnd = data.indexOf('"', keyEnd + KIND_HEAD.length)
  return kindEnd < 0 ? undefined : data.slice(0, kindEnd + 1)
}
