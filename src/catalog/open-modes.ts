/**
 * The modes a durable catalog can be opened in (Materialize's `Mode`), and what each may do.
 * Code branches on the mode through the predicates below, never on scattered flags.
 *
 * | mode        | epoch bump | migrations        | initialises | commits            | store writes |
 * |-------------|------------|-------------------|-------------|--------------------|--------------|
 * | `readonly`  | no         | no                | refuses     | non-empty refused  | none         |
 * | `savepoint` | no         | in memory         | refuses     | applied in memory  | none         |
 * | `writable`  | yes        | one append a step | yes         | compare-and-append | yes          |
 *
 * The debug mode (edit/delete) is not an open mode: it works on the unopened catalog, see
 * `debug-catalog.ts`.
 */

export const OPEN_MODES = ['readonly', 'savepoint', 'writable'] as const
export type OpenMode = (typeof OPEN_MODES)[number]

/** The mode's name as Materialize's `{mode:?}` prints it in error messages. */
export function modeDisplayName(mode: OpenMode): string {
  switch (mode) {
    case 'readonly':
      return 'Readonly'
    case 'savepoint':
      return 'Savepoint'
    case 'writable':
      return 'Writable'
  }
}

/** Whether opening in this mode changes the store (epoch bump, migrations, initialisation, stamps). */
export function writesToStore(mode: OpenMode): boolean {
  return mode === 'writable'
}

/** Whether migrations run when opening in this mode (durably or in memory). */
export function runsMigrations(mode: OpenMode): boolean {
  return mode !== 'readonly'
}

/** Whether committed transactions change the catalog's in-memory state without reaching the store. */
export function commitsInMemoryOnly(mode: OpenMode): boolean {
  return mode === 'savepoint'
}
