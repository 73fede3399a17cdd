/** The test build's equivalent of bin/catalog-debug.js (which imports dist/): for child-process tests. */
import { main } from '../../src/cli/main.js'

process.exitCode = await main(process.argv.slice(2))
