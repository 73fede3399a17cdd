#!/usr/bin/env node
import { main } from '../dist/bundle/main.js'
process.exitCode = await main(process.argv.slice(2))
// main has written everything (it never exits by itself: that would cut off piped output). What
// is left on the event loop is housekeeping, such as the module loader's files closing; when
// stdout and stderr hold nothing unwritten, exit at once rather than wait for it.
if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit()
