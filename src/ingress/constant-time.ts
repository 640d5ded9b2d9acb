import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * String equality whose time does not depend on where the strings differ, nor on the secret's length: both sides
 * are hashed to 32 bytes first, because `timingSafeEqual` itself throws on a length mismatch and so would reveal it.
 */
export function equalsConstantTime(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
