/**
 * Defence in depth for logs: the code never logs secrets on purpose, and this replacer makes sure an accident
 * (a whole request, an SDK error with a body) cannot leak one either. It runs on every value Powertools
 * Logger serialises.
 */
const SECRET_KEY = /pass(word)?|private_?key|secret|token|authorization|api_?key|jwt|credential/i;
// Keys that match the pattern above but hold no secret and are useful in a log.
const SAFE_KEYS = new Set(['idempotency_key', 'idempotencyKey', 'secret_id', 'secretId', 'token_kind']);

const PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // a JWT
  /whsec_[A-Za-z0-9+/=]+/g,
  /Bearer\s+[A-Za-z0-9._~+/=-]+/gi,
];

export const REDACTED = '[redacted]';

export function redactString(value: string): string {
  let out = value;
  for (const pattern of PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

export function redactReplacer(key: string, value: unknown): unknown {
  if (key !== '' && SECRET_KEY.test(key) && !SAFE_KEYS.has(key) && value !== undefined && value !== null) {
    if (typeof value === 'string' || typeof value === 'number') return REDACTED;
  }
  if (typeof value === 'string') return redactString(value);
  return value;
}
