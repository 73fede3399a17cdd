/**
 * What a JSON value is in catalog-debug (integers as `bigint`, exact at any size) and the error
 * every malformed text raises. The codec as a whole: `lossless-json.ts`.
 */

export type JsonValue = null | boolean | string | bigint | number | JsonValue[] | JsonObject
export interface JsonObject {
  [key: string]: JsonValue
}

/** Raised for malformed JSON text; `position` is the 0-based character offset. */
export class JsonSyntaxError extends Error {
  readonly position: number
  readonly line: number
  readonly column: number
  /** What is wrong, without the position. */
  readonly reason: string
  /**
   * The JSON path of the offending member (`id.value`, `privileges[0]`) when the text is
   * well-formed but a strict parse refused it (a duplicate key); `undefined` for syntax errors.
   */
  readonly path: string | undefined
  constructor(message: string, position: number, text: string, path?: string) {
    const { line, column } = lineColumn(text, position)
    super(`invalid JSON at line ${line} column ${column}: ${message}`)
    this.name = 'JsonSyntaxError'
    this.position = position
    this.line = line
    this.column = column
    this.reason = message
    this.path = path
  }
}

function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1
  let lastNewline = -1
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lastNewline = i
    }
  }
  return { line, column: position - lastNewline }
}

/** Whether a value is a JSON object (not an array, not null). */
export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
