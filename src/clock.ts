/**
 * The one clock seam in samkit (CONTRACTS §6). Everything that compares times calls
 * {@link nowSeconds} / {@link nowMs}. `SAMKIT_TEST_NOW` (epoch **seconds**) pins the clock and
 * exists only so tests that move the emulator's clock can move samkit's too.
 */
export function nowMs(): number {
  const pinned = process.env["SAMKIT_TEST_NOW"];
  if (pinned !== undefined && pinned !== "") {
    const s = Number(pinned);
    if (Number.isFinite(s)) return s * 1000;
  }
  return Date.now();
}

/** Current time in epoch seconds (integer). See {@link nowMs}. */
export function nowSeconds(): number {
  return Math.floor(nowMs() / 1000);
}
