export { SamkitError, isSamkitError, type SamkitErrorOptions } from "./samkit-error.js";
export { catalogue, type SamkitErrorCode } from "./catalogue/index.js";
export { ExitCode, type ErrorAction, type CatalogueEntry, type IdentityErrorFields } from "./types.js";
export {
  classifyResponse,
  classifyIdentityError,
  classifyPartnerCenterError,
  classifyGraphError,
  classifyArmError,
  classifyKeyVaultError,
  identityFieldsOf,
  isIdentityErrorBody,
  isApiFault,
  isAzureErrorBody,
  AADSTS_CODES,
  aadstsOf,
  catalogueCodeForAadsts,
  type ErrorResponse,
  type ClassifyOptions,
  type ServiceHint,
} from "./classify/index.js";
export { explainCode, explainText, parseExplainInput, aadstsTable, EXPLAIN_MAX_INPUT } from "./explain.js";
