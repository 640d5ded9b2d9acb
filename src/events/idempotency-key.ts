import { createHash } from 'node:crypto';

/**
 * CONTRACT §9: lower-case hex SHA-256 of `source + "\n" + id`. Producers can compute it themselves; it is the
 * SQS MessageDeduplicationId, the Voximplant `Idempotency-Key` header and the key of the idempotency record.
 */
export function idempotencyKey(source: string, id: string): string {
  return createHash('sha256').update(`${source}\n${id}`, 'utf8').digest('hex');
}
