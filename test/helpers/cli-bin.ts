/** The test build's equivalent of bin/catalog-debug.js (which imports dist/): for child-process tests. */
import { main } from '../../src/cli/main.js'

process.exitCode = await main(process.argv.slice(2))
// As bin/catalog-debug.js: exit at once when stdout and stderr hold nothing unwritten.
if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit()
