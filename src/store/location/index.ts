/** The one store location: parsing, display, sidecars, same-store checks, exclusive creation. */
export { createExclusively } from './exclusive-create.js'
export { regularFileOrAbsent } from './files.js'
export { displayLocation, isPostgresUrl, isUrlLike, secretsOf } from './redact.js'
export { namesStoreOrSidecar, parseStoreLocation, type StoreLocation } from './store-location.js'
