/** The one store location: parsing, display, sidecars, same-store checks, exclusive creation. */
export { createExclusively, NEW_STORE_MODE, type ExclusiveCreation } from './exclusive-create.js'
export { regularFileOrAbsent, sameFile, sidecarPaths, SIDECAR_SUFFIXES } from './files.js'
export { displayLocation, isPostgresUrl, isUrlLike, redactUrl, secretsOf } from './redact.js'
export {
  FIXTURE_EXTENSIONS,
  FIXTURE_FORMAT_MARKER,
  isFileLocation,
  MEMORY_LOCATION,
  namesStoreOrSidecar,
  parseStoreLocation,
  STDIN_LOCATION,
  type StoreLocation,
  type StoreLocationKind,
} from './store-location.js'
