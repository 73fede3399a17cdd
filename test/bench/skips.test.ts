/**
 * Which "not measured" notes of an earlier benchmark run the published page keeps after a later
 * run (`bench/results.ts` `skipsStillStanding`): a note goes when the later run ran its figure
 * group again, so a group that failed once and was then measured is no longer listed as failed.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { skipsStillStanding } from '../../bench/results.js'

const failedPostgres = { figure: 'PostgreSQL figures (some)', reason: 'failed: exited with 2', group: 'postgres' }
const noServer = { figure: 'start-up', reason: 'no terminal', group: 'startup' }
const older = { figure: 'copy to PostgreSQL', reason: 'no server' }

test('a later run of the same group clears its earlier skip; other groups keep theirs', () => {
  assert.deepEqual(skipsStillStanding([failedPostgres, noServer], { skipped: [], groups: ['postgres'] }), [noServer])
})

test('a later run that skips the same figure replaces the note; one that ran nothing keeps every note', () => {
  assert.deepEqual(skipsStillStanding([failedPostgres, older], { skipped: [{ figure: older.figure, reason: 'again' }], groups: ['caa'] }), [
    failedPostgres,
  ])
  assert.deepEqual(skipsStillStanding([failedPostgres, older], { skipped: [] }), [failedPostgres, older])
})
