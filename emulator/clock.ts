/**
 * The emulator's movable clock. Every expiry decision (tokens, codes, refresh-token inactivity,
 * secrets, GDAP end dates) reads it, so tests can jump 90 days ahead with
 * `POST /_emulator/clock {"advanceSeconds": 7776000}`.
 */
export class EmulatorClock {
  /** Offset added to the real clock, in milliseconds. */
  private offsetMs = 0;
  /** When frozen, the fixed time in epoch milliseconds. */
  private frozenAtMs: number | undefined;

  /** Current time in epoch milliseconds. */
  nowMs(): number {
    return this.frozenAtMs ?? Date.now() + this.offsetMs;
  }

  /** Current time in whole epoch seconds. */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** Current time as a Date. */
  now(): Date {
    return new Date(this.nowMs());
  }

  /** Move the clock forward (or back, with a negative value) by `seconds`. */
  advance(seconds: number): void {
    if (this.frozenAtMs !== undefined) this.frozenAtMs += seconds * 1000;
    else this.offsetMs += seconds * 1000;
  }

  /** Set the clock to `epochSeconds` (keeps ticking from there unless frozen). */
  set(epochSeconds: number): void {
    if (this.frozenAtMs !== undefined) this.frozenAtMs = epochSeconds * 1000;
    else this.offsetMs = epochSeconds * 1000 - Date.now();
  }

  /** Stop the clock at its current time (`true`) or let it tick again (`false`). */
  freeze(frozen: boolean): void {
    if (frozen && this.frozenAtMs === undefined) this.frozenAtMs = this.nowMs();
    if (!frozen && this.frozenAtMs !== undefined) {
      this.offsetMs = this.frozenAtMs - Date.now();
      this.frozenAtMs = undefined;
    }
  }

  /** Back to real time. */
  reset(): void {
    this.offsetMs = 0;
    this.frozenAtMs = undefined;
  }

  /** `{nowSeconds, offsetSeconds, frozen}` for the control API. */
  describe(): { nowSeconds: number; now: string; offsetSeconds: number; frozen: boolean } {
    const now = this.nowMs();
    return { nowSeconds: Math.floor(now / 1000), now: new Date(now).toISOString(), offsetSeconds: Math.round((now - Date.now()) / 1000), frozen: this.frozenAtMs !== undefined };
  }
}
