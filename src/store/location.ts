/**
 * Store locations as text: which backend a location names, and a form fit to print (messages,
 * `info.location`, logs) that never shows a password. One helper for the store and the CLI.
 */

/** Whether `location` is a PostgreSQL URL (`postgres://…` or `postgresql://…`). */
export function isPostgresLocation(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location)
}

/** The URL with its password replaced by `***`; a string that does not parse is redacted by pattern. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password !== '') u.password = '***'
    return u.toString()
  } catch {
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@')
  }
}

/** A location fit to print: a PostgreSQL URL via {@link redactUrl}; anything else (a path, `:memory:`) as given. */
export function displayLocation(location: string): string {
  return isPostgresLocation(location) ? redactUrl(location) : location
}
