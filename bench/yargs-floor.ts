/**
 * The start-up floor: bare node loading yargs and parsing the command line (one trivial command,
 * `--help` works). `catalog-debug --help` and `epoch` are measured against it.
 */
import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'

await yargs(hideBin(process.argv))
  .scriptName('floor')
  .command(
    'noop',
    'does nothing',
    () => {},
    () => {},
  )
  .help()
  .parseAsync()
