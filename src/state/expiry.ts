/**
 * `expires_at` is epoch seconds (the unit DynamoDB TTL reads). An item counts as gone from the second it names,
 * whether or not TTL has deleted it yet: DynamoDB deletes up to 48 h late and DynamoDB Local never does.
 */
export function expiresAtSeconds(nowMs: number, ttlSeconds: number): number {
  // Rounded up, so an item is kept at least ttlSeconds.
  return Math.ceil(nowMs / 1000 + ttlSeconds);
}

export function epochSeconds(nowMs: number): number {
  return Math.floor(nowMs / 1000);
}

export function isExpired(expiresAt: number, nowMs: number): boolean {
  return expiresAt <= epochSeconds(nowMs);
}
