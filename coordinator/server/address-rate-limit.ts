/**
 * A token bucket per client address: `burst` attempts at once, then one more per refill interval. Used for
 * Enrol, the one signed-less call that writes, so guessing invitation tokens stays slow.
 */
export class AddressRateLimit {
  readonly #buckets = new Map<string, { tokens: number; updatedMs: number }>();
  readonly #burst: number;
  readonly #refillMs: number;

  constructor(burst: number, refillSeconds: number) {
    this.#burst = burst;
    this.#refillMs = refillSeconds * 1000;
  }

  /** Takes one token; false when the address has none left. */
  take(address: string, nowMs = Date.now()): boolean {
    const bucket = this.#buckets.get(address) ?? { tokens: this.#burst, updatedMs: nowMs };
    const refilled = Math.min(this.#burst, bucket.tokens + (nowMs - bucket.updatedMs) / this.#refillMs);
    this.#prune(nowMs);
    if (refilled < 1) {
      this.#buckets.set(address, { tokens: refilled, updatedMs: nowMs });
      return false;
    }
    this.#buckets.set(address, { tokens: refilled - 1, updatedMs: nowMs });
    return true;
  }

  /** Full buckets carry no information; dropping them keeps the map as small as the active addresses. */
  #prune(nowMs: number): void {
    if (this.#buckets.size < 1024) return;
    for (const [address, bucket] of this.#buckets) {
      if (bucket.tokens + (nowMs - bucket.updatedMs) / this.#refillMs >= this.#burst) this.#buckets.delete(address);
    }
  }
}
