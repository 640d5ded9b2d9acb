import { createHash } from 'node:crypto';

/**
 * The idempotency key of a change: lower-case hex SHA-256 of the UTF-8 bytes of
 * `<byte length of source>:<source><byte length of id>:<id>` (lengths in decimal), e.g. `14:urn:hr:workday5:evt-1`.
 * Each part is length-prefixed, so no choice of characters (a newline, a colon) can make two different pairs encode
 * alike; lone UTF-16 surrogates, the one thing UTF-8 cannot carry, are refused by the event schema. Producers can
 * compute it themselves. It is the Voximplant `Idempotency-Key` header and the key of the idempotency record.
 */
export function idempotencyKey(source: string, id: string): string {
  const encoded = `${Buffer.byteLength(source, 'utf8')}:${source}${Buffer.byteLength(id, 'utf8')}:${id}`;
  return createHash('sha256').update(encoded, 'utf8').digest('hex');
}

/**
 * The SQS FIFO MessageDeduplicationId of a change: lower-case hex SHA-256 of `<idempotency key>:<fingerprint>`
 * (both fixed-length hex). An exact resend is dropped by SQS within its 5-minute deduplication interval, while the
 * same source and id carrying a different change reaches the worker, which dead-letters it as `payload_mismatch`.
 */
export function messageDeduplicationId(key: string, fingerprint: string): string {
  return createHash('sha256').update(`${key}:${fingerprint}`, 'utf8').digest('hex');
}
