export { SamkitError, isSamkitError, type SamkitErrorOptions } from "./samkit-error.js";
export { catalogue, type SamkitErrorCode } from "./catalogue/index.js";
export { ExitCode, type ErrorAction, type CatalogueEntry, type IdentityErrorFields } from "./types.js";
