/** The catalog versions this build reads and writes (`upgrade.rs`: `objects!(v42, …, v47)`). */

/** The oldest catalog version that can be upgraded. */
export const MIN_CATALOG_VERSION = 42
/** The catalog version this build writes. */
export const CATALOG_VERSION = 47
/** Every supported version, oldest first. */
export const CATALOG_VERSIONS = [42, 43, 44, 45, 46, 47] as const
export type CatalogVersion = (typeof CATALOG_VERSIONS)[number]

/** Whether this build can read catalog version `v` (42..47). */
export function isSupportedCatalogVersion(v: number): v is CatalogVersion {
  return Number.isInteger(v) && v >= MIN_CATALOG_VERSION && v <= CATALOG_VERSION
}
