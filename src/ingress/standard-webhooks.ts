import { createHmac, timingSafeEqual } from 'node:crypto';
import { BridgeError } from '../errors/bridge-error';
import { type HttpRequest, headerValue } from '../http/http-message';

/**
 * Standard Webhooks v1 (HMAC-SHA256) verification, written on node:crypto rather than the official
 * `standardwebhooks` package because that package takes one secret per instance (we accept several during
 * rotation) and hard-codes a ±5 minute tolerance (ours is WEBHOOK_TOLERANCE_SECONDS). Tests sign and verify with
 * the official package to prove the two agree: what it signs is accepted, what its verifier refuses is refused.
 *
 * Signed content: `${webhook-id}.${webhook-timestamp}.` followed by the raw body bytes, exactly as received.
 */

export type WebhookSignatureErrorCode =
  | 'missing_headers'
  | 'bad_webhook_id'
  | 'bad_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'no_v1_signature'
  | 'too_many_signatures'
  | 'no_matching_signature';

/** A request that fails verification stays refused, however often it is sent. */
export class WebhookSignatureError extends BridgeError {
  declare readonly code: WebhookSignatureErrorCode;
  constructor(code: WebhookSignatureErrorCode, message: string) {
    super(code, message, { retry: 'permanent' });
    this.name = 'WebhookSignatureError';
  }
}

/** A header with more entries than this is refused before any HMAC work: each entry costs one compare per secret. */
export const MAX_SIGNATURES = 16;
const HMAC_SHA256_BYTES = 32;
/** The id is remembered in the state table (a DynamoDB key holds at most 2048 bytes); real ids are short. */
export const MAX_WEBHOOK_ID_BYTES = 256;

/**
 * The 32 bytes of a `v1,` signature, or undefined unless it is canonical base64 (RFC 4648 §4, with padding, no other
 * characters). The official verifier compares the text with the expected base64 string, so it refuses a signature
 * without its `=`, with characters added, or in the base64url alphabet; `Buffer.from(..., 'base64')` would skip or
 * translate those, so the text is checked to be exactly the encoding of what it decodes to.
 */
export function decodeV1Signature(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== HMAC_SHA256_BYTES || bytes.toString('base64') !== text) return undefined;
  return bytes;
}

export interface VerifyOptions {
  /** Active `whsec_` secrets; any one of them may have signed. */
  secrets: readonly string[];
  nowMs: number;
  toleranceSeconds: number;
}

export interface VerifiedWebhook {
  webhookId: string;
  timestamp: number;
}

/** Bytes of a `whsec_<base64>` secret. */
export function decodeWebhookSecret(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  if (key.length === 0) throw new Error('a webhook secret decodes to no bytes');
  return key;
}

function hmac(key: Buffer, webhookId: string, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', key).update(`${webhookId}.${timestamp}.`, 'utf8').update(body).digest();
}

/** `v1,<base64>` for a message; the CLI's `send` and tests may use it (the official package signs the same way). */
export function signStandardWebhook(secret: string, webhookId: string, timestampSeconds: number, body: Buffer): string {
  return `v1,${hmac(decodeWebhookSecret(secret), webhookId, String(timestampSeconds), body).toString('base64')}`;
}

/**
 * Verifies a request or throws a WebhookSignatureError whose message says what is wrong (which header, which
 * way the clock is off) and never contains a secret or a computed signature.
 */
export function verifyStandardWebhook(
  request: Pick<HttpRequest, 'headers' | 'rawBody'>,
  options: VerifyOptions,
): VerifiedWebhook {
  const webhookId = headerValue(request, 'webhook-id');
  const timestampText = headerValue(request, 'webhook-timestamp');
  const signatureHeader = headerValue(request, 'webhook-signature');
  const missing = [
    ['webhook-id', webhookId],
    ['webhook-timestamp', timestampText],
    ['webhook-signature', signatureHeader],
  ]
    .filter(([, value]) => value === undefined || value.trim() === '')
    .map(([name]) => name);
  if (webhookId === undefined || timestampText === undefined || signatureHeader === undefined || missing.length > 0) {
    throw new WebhookSignatureError('missing_headers', `missing Standard Webhooks header(s): ${missing.join(', ')}`);
  }
  if (Buffer.byteLength(webhookId, 'utf8') > MAX_WEBHOOK_ID_BYTES) {
    throw new WebhookSignatureError('bad_webhook_id', `webhook-id is longer than ${MAX_WEBHOOK_ID_BYTES} bytes`);
  }

  // The spec sends integer Unix seconds; anything else cannot be what the sender signed.
  if (!/^\d{1,12}$/.test(timestampText.trim())) {
    throw new WebhookSignatureError('bad_timestamp', 'webhook-timestamp is not an integer number of Unix seconds');
  }
  const timestamp = Number(timestampText.trim());
  const nowSeconds = Math.floor(options.nowMs / 1000);
  if (nowSeconds - timestamp > options.toleranceSeconds) {
    throw new WebhookSignatureError(
      'timestamp_too_old',
      `webhook-timestamp is ${nowSeconds - timestamp} s old; at most ${options.toleranceSeconds} s are accepted (a replay, or a sender clock behind)`,
    );
  }
  if (timestamp - nowSeconds > options.toleranceSeconds) {
    throw new WebhookSignatureError(
      'timestamp_too_new',
      `webhook-timestamp is ${timestamp - nowSeconds} s in the future; at most ${options.toleranceSeconds} s are accepted (a sender clock ahead)`,
    );
  }

  const entries = signatureHeader.split(' ').filter((s) => s !== '');
  if (entries.length > MAX_SIGNATURES) {
    throw new WebhookSignatureError(
      'too_many_signatures',
      `webhook-signature has ${entries.length} entries; at most ${MAX_SIGNATURES} are accepted`,
    );
  }
  // Only v1 (HMAC-SHA256) is ours; v1a (ed25519) entries are skipped, as the official library does.
  const candidates = entries
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => decodeV1Signature(entry.slice(3)))
    .filter((sig): sig is Buffer => sig !== undefined);
  if (candidates.length === 0) {
    throw new WebhookSignatureError(
      'no_v1_signature',
      'webhook-signature holds no v1,<canonical base64 of an HMAC-SHA256> entry',
    );
  }

  // Every candidate against every secret, without stopping early, so the time taken says nothing about which
  // secret or entry matched.
  let matched = false;
  for (const secret of options.secrets) {
    // The number as re-printed (no padding, no spaces), as the official library signs and verifies it.
    const expected = hmac(decodeWebhookSecret(secret), webhookId, String(timestamp), request.rawBody);
    for (const candidate of candidates) {
      if (timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  if (!matched) {
    throw new WebhookSignatureError(
      'no_matching_signature',
      'no signature in webhook-signature matches the body with any active secret (a changed body, or a secret we do not hold)',
    );
  }
  return { webhookId, timestamp };
}
