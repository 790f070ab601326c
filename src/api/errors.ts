/**
 * Service error → catalogue error for every non-2xx answer of the passthrough: a thin adapter over
 * the foundation's `classifyResponse`, with the service hint taken from the resolved target
 * (Partner Center ApiFault / 429 / MFA 401, Graph `error.code`, ARM, Key Vault; identity-shaped
 * bodies are detected whatever the service).
 */
import { classifyResponse, type SamkitError } from "../errors/index.js";
import type { HttpResponse } from "../http/types.js";
import { serviceKindFor } from "./target.js";
import type { ApiTarget } from "./types.js";

/** The catalogue error for a non-2xx response of `alias` (`undefined` = a resource outside the table). */
export function serviceErrorFromResponse(res: HttpResponse, alias: ApiTarget["alias"]): SamkitError {
  return classifyResponse({ status: res.status, headers: res.headers, text: res.text }, { service: serviceKindFor(alias) });
}
