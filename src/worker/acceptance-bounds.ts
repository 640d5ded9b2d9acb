import type { SQSRecord } from 'aws-lambda';
import * as z from 'zod';

/** The SQS message attribute our ingress stamps on every message: epoch ms at which it accepted the request. */
export const ACCEPTED_AT_ATTRIBUTE = 'accepted_at';

const epochMs = z
  .string()
  .regex(/^\d{1,16}$/, 'must be epoch milliseconds')
  .transform(Number)
  .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));

const acceptedAtSchema = z.object({ dataType: z.literal('Number'), stringValue: epochMs });

export type AcceptanceBounds = { ok: true; acceptedAtMs?: number; sentAtMs?: number } | { ok: false; reason: string };

/**
 * The moments that bound a message's ordering time: `accepted_at` when our ingress sent it, and SQS's own
 * `SentTimestamp` (epoch ms at which SQS received the message; SQS API Reference, ReceiveMessage,
 * MessageSystemAttributeName) for every message, so a producer that writes to the queue directly is capped too.
 * A present but malformed `accepted_at` is refused rather than ignored: only a producer writing to the queue sets
 * one by hand, and its message then goes to the dead-letter queue with the reason.
 */
export function acceptanceBounds(record: SQSRecord): AcceptanceBounds {
  const raw = record.messageAttributes?.[ACCEPTED_AT_ATTRIBUTE];
  let acceptedAtMs: number | undefined;
  if (raw !== undefined) {
    const parsed = acceptedAtSchema.safeParse(raw);
    if (!parsed.success) {
      return {
        ok: false,
        reason: `message attribute ${ACCEPTED_AT_ATTRIBUTE}: must be a Number of epoch milliseconds`,
      };
    }
    acceptedAtMs = parsed.data.stringValue;
  }
  const sent = epochMs.safeParse(record.attributes?.SentTimestamp);
  return {
    ok: true,
    ...(acceptedAtMs !== undefined && { acceptedAtMs }),
    ...(sent.success && { sentAtMs: sent.data }),
  };
}
