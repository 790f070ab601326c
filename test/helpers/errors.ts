/** Reading catalogue errors in tests. */
import { isSamkitError } from "../../src/errors/index.js";

/**
 * The catalogue code `p` rejects with, or `"no error"` when it resolves; a rejection that is not
 * a SamkitError is rethrown (so the test fails on it).
 */
export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isSamkitError(e)) return e.code;
    throw e;
  }
  return "no error";
}
