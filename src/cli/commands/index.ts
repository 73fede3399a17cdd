/** Every command, in the order `--help` lists them. Declarations only: implementations load lazily. */
import type { CommandDefinition } from '../command.js'
import { deleteCommand } from './delete/index.js'
import { dumpCommand } from './dump/index.js'
import { editCommand } from './edit/index.js'
import { epochCommand } from './epoch/index.js'
import { initCommand } from './init/index.js'
import { inspectCommand } from './inspect/index.js'
import { upgradeCheckCommand } from './upgrade-check/index.js'

export const COMMANDS: readonly CommandDefinition<any>[] = [
  dumpCommand,
  epochCommand,
  editCommand,
  deleteCommand,
  upgradeCheckCommand,
  initCommand,
  inspectCommand,
]
