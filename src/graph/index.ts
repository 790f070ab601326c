/** The few Microsoft Graph calls samkit makes itself (DESIGN.md `graph/`). Re-exports only. */
export { createGraphClient, graphErrorInfo, type GraphClient, type GraphClientOptions, type GraphRequest, type GraphErrorInfo } from "./client.js";
export * from "./applications.js";
