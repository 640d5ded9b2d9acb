import { adminChangeFromEvent, targetOf } from '../events/admin-change';
import type { AdminChangeEvent } from '../events/admin-change-event';
import { messageDeduplicationId } from '../events/idempotency-key';
import { messageGroupId } from '../events/message-group';
import type { QueueEntry } from '../queue/enqueue';

/**
 * The SQS message body for one CloudEvent: its JSON (structured mode, docs/CONTRACT.md#events), with every character
 * outside printable ASCII written as a `\uXXXX` escape. The JSON value is identical, and the body can no longer hold a
 * character SQS refuses (it accepts only #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF, so U+FFFE in
 * a display name would fail the send forever) nor one an emulator mishandles (fauxqs 1.9.2 checks UTF-16 units, so it
 * refuses any surrogate pair, i.e. every emoji).
 */
export function queueBody(event: unknown): string {
  return JSON.stringify(event).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The queue message for a validated event: `json` (the event as sent, so extension attributes survive) as the body,
 * its target admin's group, a deduplication id over its idempotency key and what it changes, and the moment the
 * ingress accepted the request (after authentication), which caps the change's ordering time.
 */
export function queueEntry(event: AdminChangeEvent, json: unknown, acceptedAtMs: number): QueueEntry {
  const change = adminChangeFromEvent(event);
  return {
    body: queueBody(json),
    groupId: messageGroupId(targetOf(event.data)),
    dedupId: messageDeduplicationId(change.idempotencyKey, change.fingerprint),
    acceptedAtMs,
  };
}
