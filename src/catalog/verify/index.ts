/** Checking a catalog's invariants (`catalog-debug verify`). */

export { verify, verifyRows, verifyStore, type VerifiableCatalog, type VerifyOptions } from './verify.js'
export { SEVERITIES, VERIFY_CHECKS, type Finding, type Severity, type VerifyCheck, type VerifyReport } from './findings.js'
