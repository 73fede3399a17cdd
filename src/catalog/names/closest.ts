/**
 * "Did you mean …?": the candidates closest to a mistyped word, by edit distance (insertions,
 * deletions, substitutions and swaps of two neighbours each cost 1). Used for object names,
 * collection names, command-line flags and kinds.
 */

/** Optimal string alignment distance between `a` and `b`. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[] = new Array(rows * cols).fill(0)
  for (let i = 0; i < rows; i++) d[i * cols] = i
  for (let j = 0; j < cols; j++) d[j] = j
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1)
      d[i * cols + j] = v
    }
  }
  return d[rows * cols - 1]!
}

/**
 * The candidates within reach of `word` (closest first, at most `limit`): a distance of at most a
 * third of the word's length (at least 1, at most 3), or the candidate starts with the word (a
 * truncated flag like `--consolidat`). Case is ignored. Empty when nothing is close. Candidates are
 * read one at a time and only the closest `limit` kept, so they may come from a stream of any length.
 */
export function closestMatches(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const w = word.toLowerCase()
  if (w === '' || limit < 1) return []
  const reach = Math.min(3, Math.max(1, Math.floor(w.length / 3)))
  const before = (x: { c: string; d: number }, y: { c: string; d: number }): number => x.d - y.d || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0)
  const best: { c: string; d: number }[] = []
  for (const c of candidates) {
    if (best.some((b) => b.c === c)) continue
    const lc = c.toLowerCase()
    const d = lc.startsWith(w) && w.length >= 3 ? 0.5 : editDistance(w, lc)
    if (d > reach) continue
    const scored = { c, d }
    if (best.length === limit && before(scored, best[limit - 1]!) >= 0) continue
    best.push(scored)
    best.sort(before)
    if (best.length > limit) best.pop()
  }
  return best.map((s) => s.c)
}

/** `did you mean "x" or "y"?`, or undefined when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>, quote: (s: string) => string = (s) => s): string | undefined {
  const found = closestMatches(word, candidates)
  if (found.length === 0) return undefined
  return `did you mean ${found.map(quote).join(' or ')}?`
}
