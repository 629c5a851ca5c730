// The replay cache [Trusting CDS Clients]: a jti is remembered until its token expires. Bounded:
// when full of unexpired entries a new token is refused (fail closed) rather than forgetting a
// jti that could then be replayed. Token lifetimes are capped by the verifier, so the cache
// drains on its own.

export class JtiCache {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.seen.size;
  }

  /** Records the key until `expiresAt` (ms); false when it was seen before or the cache is full. */
  remember(key: string, expiresAt: number): boolean {
    const now = this.now();
    const known = this.seen.get(key);
    if (known !== undefined && known > now) return false;
    if (known === undefined && this.seen.size >= this.maxEntries) {
      this.sweep(now);
      if (this.seen.size >= this.maxEntries) return false;
    }
    this.seen.set(key, expiresAt);
    return true;
  }

  private sweep(now: number): void {
    for (const [key, expiresAt] of this.seen) if (expiresAt <= now) this.seen.delete(key);
  }
}
