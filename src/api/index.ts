/**
 * The generic API passthrough behind `samkit api` and `samkit foreach -- api` (a folder added to
 * DESIGN.md's layout; docs/api.md). Re-exports only.
 */
export { API_OPTIONS, buildApiRequestSpec, parseApiArgs, parseHeader, type ApiArgsIo, type ApiOptionDefinition, type RawApiArgs } from "./args.js";
export { callApi, errorResponseBody, paginateApi, parseBody } from "./call.js";
export { serviceErrorFromResponse } from "./errors.js";
export { collectionItems, nextPageOf } from "./paging.js";
export { inferResourceFromPath, resolveApiTarget, resourceForAbsolute, serviceKindFor } from "./target.js";
export type { ApiContext, ApiPage, ApiRequestSpec, ApiResult, ApiTarget } from "./types.js";
