/** Classifiers: Microsoft error responses → catalogue errors. */
export type { ErrorResponse, ClassifyOptions, ServiceHint } from "./types.js";
export { classifyResponse } from "./response.js";
export { classifyIdentityError, identityFieldsOf, isIdentityErrorBody } from "./identity.js";
export { classifyPartnerCenterError, isApiFault } from "./partner-center.js";
export { classifyGraphError, classifyArmError, classifyKeyVaultError, isAzureErrorBody } from "./graph.js";
export { AADSTS_CODES, aadstsOf, catalogueCodeForAadsts } from "./aadsts.js";
