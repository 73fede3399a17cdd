/** Every command, in the order `--help` lists them. Declarations only: implementations load lazily. */
import type { CommandDefinition } from '../command.js'
import { backupCommand } from './backup/index.js'
import { completionCommand } from './completion/index.js'
import { copyCommand } from './copy/index.js'
import { deleteCommand } from './delete/index.js'
import { describeCommand } from './describe/index.js'
import { diffCommand } from './diff/index.js'
import { dumpCommand } from './dump/index.js'
import { editCommand } from './edit/index.js'
import { epochCommand } from './epoch/index.js'
import { exportCommand } from './export/index.js'
import { findCommand } from './find/index.js'
import { graphCommand } from './graph/index.js'
import { getCommand } from './get/index.js'
import { undoCommand } from './undo/index.js'
import { watchCommand } from './watch/index.js'
import { historyCommand } from './history/index.js'
import { importCommand } from './import/index.js'
import { logCommand } from './log/index.js'
import { initCommand } from './init/index.js'
import { inspectCommand } from './inspect/index.js'
import { repairCommand } from './repair/index.js'
import { restoreCommand } from './restore/index.js'
import { upgradeCheckCommand } from './upgrade-check/index.js'
import { upgradeCommand } from './upgrade/index.js'
import { verifyCommand } from './verify/index.js'
import { versionCommand } from './version/index.js'

// biome-ignore lint/suspicious/noExplicitAny: each command's builder yields its own argument type; the registry holds them all
export const COMMANDS: readonly CommandDefinition<any>[] = [
  dumpCommand,
  getCommand,
  epochCommand,
  editCommand,
  deleteCommand,
  undoCommand,
  upgradeCheckCommand,
  initCommand,
  inspectCommand,
  verifyCommand,
  repairCommand,
  historyCommand,
  describeCommand,
  findCommand,
  graphCommand,
  logCommand,
  watchCommand,
  exportCommand,
  importCommand,
  diffCommand,
  upgradeCommand,
  backupCommand,
  restoreCommand,
  copyCommand,
  completionCommand,
  versionCommand,
]
