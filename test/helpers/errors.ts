/** Reading catalogue errors in tests. */
import { isSamkitError, type SamkitError, type SamkitErrorCode } from "../../src/errors/index.js";

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

/**
 * The SamkitError `p` rejects with, after asserting its code is `code` (fails the test when `p`
 * resolves or rejects with anything else).
 */
export async function rejection(p: Promise<unknown>, code: SamkitErrorCode): Promise<SamkitError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isSamkitError(e, code)) throw new Error(`expected a rejection with ${code}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  return e;
}
