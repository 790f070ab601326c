/**
 * samkit — Microsoft's Secure Application Model for Partner Center, as a library.
 * This file only re-exports; each area lives in its own folder (see DESIGN.md).
 */
export * from "./errors/index.js";
export { nowMs, nowSeconds } from "./clock.js";
export * from "./cloud/index.js";
export * from "./http/index.js";
export * from "./log/index.js";
export * from "./config/index.js";
export * from "./partner-center/index.js";
export * from "./api/index.js";
export * from "./broker/index.js";
export * from "./store/index.js";
export * from "./fanout/index.js";
export * from "./status/index.js";
export * from "./oauth/index.js";
export * from "./graph/index.js";
export * from "./provision/index.js";
