/** Renders docs/reliability.md from a suite report. */
import { environmentLine } from './lib/environment.js'
import { TABLE_HEADER, tableRow } from './lib/report.js'
import type { SuiteReport } from './suite.js'

/** Marks the hand-kept section (published figures of single scenario runs) a rewrite carries over. */
const KEPT_START = '<!-- kept: published runs (carried over when the suite rewrites this page) -->'
const KEPT_END = '<!-- /kept -->'

/** The kept section of the page as it is now (with its markers), or '' when it has none. */
export function keptSection(page: string): string {
  const i = page.indexOf(KEPT_START)
  const j = page.indexOf(KEPT_END)
  return i >= 0 && j > i ? `${page.slice(i, j + KEPT_END.length)}\n\n` : ''
}

export function renderReliabilityPage(r: SuiteReport, kept = ''): string {
  const o = r.options
  const failed = r.rows.filter((x) => x.violations.length > 0)
  const details = failed.map(
    (x) =>
      `- **${x.scenario}** (${x.processes} processes):\n${x.violations
        .slice(0, 12)
        .map((v) => `  - ${v}`)
        .join('\n')}${x.violations.length > 12 ? `\n  - … and ${x.violations.length - 12} more` : ''}`,
  )
  return `# Reliability

The reliability suite (\`test/reliability/\`) exercises the store and the command line the way
they fail in production: processes racing, processes killed mid-write, writers fencing each
other, data from newer builds, damaged files and hostile input, and a storage layer that errs.
It checks the promises of docs/storage-format.md and docs/architecture.md, one scenario each. Every
scenario is seeded (the seed is printed and published) and uses real child processes where
concurrency or crashes are the point. Every row states what was checked and whether every
invariant held; a violation makes the run exit 1.

## Running

\`\`\`sh
npm run test:reliability                      # the full suite, default knobs (13 min measured before the issue-12 rows; they add roughly half an hour on an idle machine, estimated)
REL_KILLS=100 REL_RACE_COMMITS=200 npm run test:reliability   # a shorter run
REL_ONLY=race,fencing REL_SEED=42 npm run test:reliability     # some scenarios, replaying a seed
\`\`\`

It rewrites this page (\`REL_DOCS=0\` leaves it alone; the section of published runs is carried
over); \`REL_REPORT_JSON=FILE\` also saves every row, notes included, as JSON. \`test/reliability-smoke.test.ts\` (races, fencing, crashes, faults, versions, bad files, bad
input) and \`test/reliability-never-worse.test.ts\` (creation, special files, TARGETs, secrets,
users, terminal) run every scenario with tiny counts as part of \`npm test\` and assert the
invariants (nothing lost, nothing partial, no integrity failure, linearizable, documented exit
codes, one-line errors, unchanged files, no secret printed), never timings; violations already
reported and not yet fixed are listed there (\`KNOWN_ISSUES\`) and printed as diagnostics.
The suite runs from a private copy of \`build/\`, so a rebuild during the run cannot break the
processes it spawns.

| knob | default | meaning |
| --- | --- | --- |
| \`REL_SEED\` | random | seed of every random choice (kill delays, batch sizes, inputs) |
| \`REL_KILLS\` | 1000 | SIGKILLs in total: 40% during compare-and-appends, 25% CLI edits, 20% migrations, 15% backups |
| \`REL_RACE_COMMITS\` | 1000 | successful compare-and-appends per race configuration |
| \`REL_RACE_PROCESSES\` | 2,4,8,16 | writer processes per race configuration (plus one zombie) |
| \`REL_CLI_EDITS\` | 80 | command-line edits per CLI race configuration |
| \`REL_CLI_PROCESSES\` | 2,4,8,16 | concurrent \`edit\` processes per CLI race configuration |
| \`REL_FENCE_ROUNDS\` | 20 | rounds of the fencing scenario |
| \`REL_BAD_INPUTS\` | 2000 | generated bad command lines (plus four 10 MiB ones) |
| \`REL_FAULT_OPS\` | 1000 | logical appends per storage-fault configuration |
| \`REL_FAULT_RATES\` | 0.05,0.2 | fault probabilities (persist's \`should_happen\`/\`should_timeout\`) |
| \`REL_CATALOG_SIZE\` | 2000 | updates in the generated catalogs the catalog-level scenarios copy |
| \`REL_CREATION_TRIALS\` | 200 | creation-race trials in all, spread evenly over \`init\`, \`import\`, \`copy --to\` and the process counts |
| \`REL_CREATION_PROCESSES\` | 2,3,4,5,6,7,8 | processes racing on one new path, per row |
| \`REL_CREATION_COMMANDS\` | init,import,copy | which creation races run (\`copy\` is \`copy --to\`) |
| \`REL_CREATION_PARALLEL\` | 1 | creation trials run at once, each on its own path |
| \`REL_SPECIAL_REPEATS\` | 3 | runs of each (special file, command) pair |
| \`REL_USER_ROUNDS\` | 10 | rounds of "a second OS user reads, the owner writes" |
| \`REL_TERMINAL_TRIALS\` | 2 | 0-column-terminal writes against a held lock, per outcome (gives up; lock released) |
| \`REL_SIGTERM_SAMPLES\` | 20 | timed SIGTERMs per kind of command |
| \`REL_ONLY\` | all | comma-separated scenario prefixes: \`race-store\`, \`race-cli\`, \`fencing\`, \`crash\`, \`faults\`, \`versions\`, \`bad-files\`, \`bad-input\`, \`creation\`, \`special-files\`, \`targets\`, \`secrets\`, \`users\`, \`terminal\` |

The TARGET matrix and the secret scan have no size knob: they are every pair of their two lists.

## Scenarios and their invariants

- **race: compare-and-append** (T-2). N writer processes loop *read upper → append one update at
  it → on a mismatch re-read*, plus a zombie that keeps appending at the upper it read first. Every
  read and append is recorded with its invoke and complete time (CLOCK_MONOTONIC, shared by the
  processes). Checked: exactly one success per upper; the committed timestamps have no gap and no
  duplicate; every acknowledged append is in the shard; every mismatch reports a current upper ≥ the
  expected one; and the history is linearizable as a compare-and-set register (an exact check: the
  successes' order is forced by their uppers, so one pass places every operation).
- **race: CLI edit**. N \`catalog-debug edit\` processes on one catalog, half of the edits on a
  key of their own and half on one shared key. Checked: each own key holds its last acknowledged
  value; the shared key holds the value of an acknowledged edit that no other acknowledged edit
  followed; one current value per key and one epoch row; the epoch moved once per acknowledged edit
  (no lost update); exit codes only 0 or 5, one-line errors. *Busy surfaced* counts exit code 5.
- **fencing** (T-4). Catalog A (a process) opens writable and commits in a loop; catalog B opens
  writable meanwhile (a newer epoch); then a debug \`edit\` races B's commits. Checked: after its
  first fence error a catalog never commits again; refused commits left no row; acknowledged ones
  are there; every row A wrote lies below the timestamp of B's epoch (B's below the edit's).
- **crash** (T-3, T-9). SIGKILL at a random moment of: a writer appending batches of 1–20 updates
  with a writer id and an idempotency token (the batch is announced before the call and
  acknowledged after it); a command-line \`edit\`; a writable open of a v42 catalog, which runs the
  migrations to v47 one append per step; an online backup. Checked after every kill: the integrity
  check; every acknowledged batch complete and no batch partial; retrying the interrupted append
  with its token reports "already committed" exactly when it had committed; an edit is all or
  nothing (value and epoch move together); the catalog's every current row decodes exactly at its
  \`user_version\`, and the next writable open finishes the migration; a backup under its final
  name is complete and verified, the source unchanged.
- **storage faults** (T-8). Four clients on their own connections, each wrapped in a seeded
  unreliable shim after persist's \`UnreliableHandle\` (commit then time out; time out without
  committing; fail determinately). Clients retry every failed or indeterminate append with the same
  writer id and token. Checked: every logical append is in the shard exactly once (*partial txns*
  counts double-applied ones), the upper moved once per append, linearizable, integrity.
- **versions** (T-5). Both shards stamped by a build one minor ahead (and a pre-release of it):
  accepted, and this build's writes keep the newer stamp. Two minors ahead, a pre-release of that,
  a major ahead: \`edit\` and \`delete\` refused by the data-version gate with exit 1 and the file's
  hash unchanged; read commands leave the file unchanged; \`inspect\` works.
- **bad files** (T-6). Random bytes, text, empty, truncated mid-page and to one page, corrupted
  pages, another application's SQLite file, a newer store format, a missing path, a directory, an
  immutable file (\`chattr +i\`, when possible), and a store whose write lock another process holds
  (reads proceed, \`edit\` gives up with exit 5 after its busy and retry timeouts). Every command:
  an exit code allowed for that file, a one-line error, no stack trace, the file unchanged.
- **creation races** (issue 12). \`init\` of one organization, \`import\` of one fixture and
  \`copy --to\` of one catalog, each by 2–8 processes at once on one new path
  (\`REL_CREATION_TRIALS\` trials in all). Checked per trial: exactly one process exits 0 and the
  others exit 4 (the catalog exists), the store is in place and verifies (*lost acked commits*
  counts acknowledged stores that are gone or do not verify), and no temporary file is left beside
  it.
- **special files** (issue 12). A FIFO, a socket, a directory, a symlink loop and /dev/null as
  \`--store\` (\`epoch\`, \`dump\`, \`init\`, \`export\`, \`edit\`) and as TARGET (\`export\`, \`dump\`,
  \`epoch\`, \`backup\` with \`--force\`, \`graph\`): exit 1–4 with a one-line error, no hang (a process
  still running after 10 s is killed and counted), the store unchanged. Each run's time is judged
  against the start-up time of \`--version\` measured in the same run, interleaved (its median): at
  most 2 s more. In CI only a hang is judged.
- **TARGET matrix** (issue 12). Every command that writes a file it is given (\`export\`, \`dump\`,
  \`epoch\`, \`graph\`, \`backup\`, \`upgrade\` of a fixture, \`repair --plan-out\`/\`--patch-out\`,
  \`copy --to\`, and \`restore\`'s SOURCE) × {the store, the store spelled \`./…\`, its \`-wal\` and
  \`-shm\` (absent and present), an existing file (without and with \`--force\`), a directory, a
  URL}: refused (exit 4; a URL exit 2) unless allowed (an existing file with \`--force\`; \`copy\`
  may try a PostgreSQL URL), a one-line error, the store's bytes (sha256 of the file and of a
  non-empty \`-wal\`) unchanged, the existing file unchanged unless replaced on purpose.
- **secret scan** (issue 12). Every command × every credential form: the password in the URL's
  userinfo, as \`?password=\`, and a URL given as a file TARGET; against a closed port (the failure
  message is what is scanned) and a real PostgreSQL started for the run (a role whose password is
  the secret owns a database per form; also a wrong password). The secret must not appear in
  stdout, stderr, any file under the run's directory (bytes: SQLite stores with their write
  records, exports, plans, backups) or the database's \`pg_dump\`. A control run prints a path
  holding the secret and must be seen, so the scan is known to see.
- **second OS user** (issue 12). Each round the owner creates a store and shares it (0644); a
  second user (\`useradd\`, \`runuser\`) reads it (\`epoch\`, \`dump\`, \`verify\`, \`inspect\` in turn) in
  a directory it can write or not: exit 0, no file created; then the owner's \`edit\` exits 0. And
  the other way round: root reads a store the second user owns, whose next write must succeed.
  Skipped, saying why, where no second user can be had (not root).
- **0-column terminal and SIGTERM** (issue 12). Under \`script\` with \`stty cols 0 rows 0\`, an
  \`edit\` against a store whose write lock another process holds: with the lock held throughout it
  gives up with exit 5 once the retry policy's time (30 s by default) is up, never before; with the
  lock released after start-up + 1.5 s it succeeds; either way with under 64 KiB of terminal
  output. Then SIGTERM, start-up + 1 s after the start, to a write waiting for a lock (on a pipe
  and on the 0-column terminal), a \`dump\` into a slow pipe and \`watch\`: each must end within
  1 s of the signal (time from the signal to the exit; in CI only the end is judged).
- **bad input** (T-7). Generated command lines through \`main\` in process: invalid JSON, wrong
  shapes, unknown collections, integers beyond u64 and valid boundary ones (dry run), unicode, lone
  surrogates, deep nesting, 10 MiB values, bad flags, absent keys, \`@file\`s that do not exist,
  unconfirmed writes. Each: its documented exit code (docs/exit-codes.md), one error line, no
  stack trace, and the store's hash unchanged after every case.

Columns: *successes* is acknowledged commits (races, crashes, faults, fencing) or commands that
behaved as documented (versions, bad files, bad input); *mismatches* is upper mismatches (lost
races, expected under contention); *lost acked commits*, *partial txns* and *integrity failures*
must be 0; *verdict* says whether every invariant held. Latencies are per operation unless the
notes say otherwise.

${kept}## Latest run

${r.startedAt} · ${(r.durationMs / 60000).toFixed(1)} min · seed ${o.seed} · kills ${o.kills}, race commits ${o.raceCommits}, CLI edits ${o.cliEdits}, fence rounds ${o.fenceRounds}, bad inputs ${o.badInputs}, fault ops ${o.faultOps} · ${failed.length === 0 ? '**every invariant held**' : `**${failed.length} rows with violations**`}

**Environment:** ${environmentLine(r.environment)}

${TABLE_HEADER}
${r.rows.map(tableRow).join('\n')}
${failed.length === 0 ? '' : `\n### Violations\n\n${details.join('\n')}\n`}`
}
