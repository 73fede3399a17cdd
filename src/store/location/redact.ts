/**
 * Locations fit to print. A PostgreSQL URL may carry a password in its userinfo
 * (`postgres://u:SECRET@h/db`) or as a query parameter (`?password=SECRET`, `?sslpassword=…`);
 * the redacted form replaces each with `***`. Every message, log line and `inspect` field shows
 * only this form.
 */

/** Query parameters of a libpq-style URL that hold secrets. */
const SECRET_PARAMS = ['password', 'sslpassword']

/** Whether `text` is a PostgreSQL URL (`postgres://…` or `postgresql://…`). */
export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text)
}

/** Whether `text` looks like any URL (`scheme://…`): never a file path. */
export function isUrlLike(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text)
}

/** The URL with every password (userinfo, `password=`, `sslpassword=`) replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password !== '') u.password = '***'
    for (const name of [...u.searchParams.keys()]) {
      if (SECRET_PARAMS.includes(name.toLowerCase())) u.searchParams.set(name, '***')
    }
    return u
      .toString()
      .replace(/=\*\*\*/g, '=***')
      .replace(/%2A%2A%2A/g, '***')
  } catch {
    return redactByPattern(url)
  }
}

/** Redaction of a string that does not parse as a URL: userinfo and secret parameters by pattern. */
function redactByPattern(text: string): string {
  return text
    .replace(/(\/\/[^:/@?#]*:)[^@/?#]*@/g, '$1***@')
    .replace(new RegExp(`([?&](?:${SECRET_PARAMS.join('|')})=)[^&#\\s]*`, 'gi'), '$1***')
}

/** The secrets (passwords) a URL carries, to scrub from any text that might still quote them. */
export function secretsOf(text: string): string[] {
  if (!isUrlLike(text)) return []
  const found: string[] = []
  try {
    const u = new URL(text)
    if (u.password !== '') found.push(u.password, decodeURIComponent(u.password))
    for (const [name, value] of u.searchParams) if (SECRET_PARAMS.includes(name.toLowerCase()) && value !== '') found.push(value)
  } catch {
    const m = /\/\/[^:/@?#]*:([^@/?#]*)@/.exec(text)
    if (m?.[1] !== undefined && m[1] !== '') found.push(m[1])
  }
  return [...new Set(found.filter((s) => s.length > 0))]
}

/** A location as given, fit to print: URLs redacted, anything else (a path, `:memory:`) as it is. */
export function displayLocation(location: string): string {
  return isUrlLike(location) ? redactUrl(location) : location
}
