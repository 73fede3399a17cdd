/** Repair plans (`catalog-debug repair`): from verify's findings to one reviewed, atomic write. */

export { applyRepairPlan, type ApplyResult } from './apply.js'
export { parsePlan, parseRepoint, planToJson } from './plan-file.js'
export { repairedFixtureLines } from './patch.js'
export { describePlan, type RepairOptions, type RepairPlan } from './plan.js'
export { planRepair } from './planner.js'
