/** The catalog versions this build reads and writes (`upgrade.rs`: `objects!(v42, …, v47)`). */

/** Every supported version, oldest first. Adding a version starts here (docs/adding-a-catalog-version.md). */
export const CATALOG_VERSIONS = [42, 43, 44, 45, 46, 47] as const
export type CatalogVersion = (typeof CATALOG_VERSIONS)[number]

/** The oldest catalog version that can be upgraded. */
export const MIN_CATALOG_VERSION: CatalogVersion = CATALOG_VERSIONS[0]
/** The catalog version this build writes. */
export const CATALOG_VERSION: CatalogVersion = CATALOG_VERSIONS[CATALOG_VERSIONS.length - 1] as CatalogVersion

/** Whether this build can read catalog version `v`. */
export function isSupportedCatalogVersion(v: number): v is CatalogVersion {
  return Number.isInteger(v) && v >= MIN_CATALOG_VERSION && v <= CATALOG_VERSION
}
