/** Checking a catalog's invariants (`catalog-debug verify`). */

export { verifyRows, verifyStore } from './verify.js'
export type { Finding, VerifyCheck, VerifyReport } from './findings.js'
