import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { isStrongWebhookSecret } from '../ingress/webhook-secrets';
import { usageError } from './cli-error';

/** docs/CONTRACT.md#post-events: one event, or a JSON array of them (a batch), each with its own media type. */
export const SINGLE_EVENT_TYPE = 'application/cloudevents+json';
export const BATCH_TYPE = 'application/cloudevents-batch+json';

/** A JSON array is a batch. Looks at the first non-blank character only, so the body is sent exactly as written. */
export function contentTypeFor(body: string): string {
  return body.trimStart().startsWith('[') ? BATCH_TYPE : SINGLE_EVENT_TYPE;
}

/**
 * Checks the shape of a Standard Webhooks secret before signing: `whsec_` and base64. The message never quotes
 * the value (it is a secret).
 */
export function webhookSigner(secret: string): Webhook {
  if (!isStrongWebhookSecret(secret)) {
    throw usageError('--secret must be a Standard Webhooks secret: "whsec_" followed by base64 (at least 16 bytes)');
  }
  return new Webhook(secret);
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The three Standard Webhooks headers for `body`, signed with the official package (HMAC-SHA256 over
 * `id.timestamp.body` with the base64-decoded secret,
 * https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md). The body must be sent
 * byte for byte as signed.
 */
export function signedHeaders(signer: Webhook, body: string, opts: { id?: string; now?: Date } = {}): SignedHeaders {
  const id = opts.id ?? `msg_${randomUUID().replaceAll('-', '')}`;
  const now = opts.now ?? new Date();
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signer.sign(id, now, body),
  };
}
