import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import type { HandlerAnswer } from '../../support/api-gateway';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

/**
 * A rejection a sender can act on (docs/CONTRACT.md#post-events, RFC 9457): a 4xx, `application/problem+json`, a type,
 * a title, the status again, a non-empty detail, and validation errors as JSON Pointers with messages. Returns the
 * body.
 */
export function expectClearProblem(answer: HandlerAnswer, allowed: readonly number[]): ProblemBody {
  const status = answer.statusCode ?? 0;
  expect(allowed, `status ${status}: ${answer.body}`).toContain(status);
  expect(String(answer.headers?.['content-type'])).toBe('application/problem+json');
  const body = JSON.parse(answer.body ?? '') as ProblemBody;
  expect(body.type).toMatch(/^https:\/\/\S+\/problems\/[a-z-]+$/);
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.status).toBe(status);
  expect(body.detail.trim().length).toBeGreaterThan(0);
  for (const e of body.errors ?? []) {
    expect(e.path === '' || e.path.startsWith('/'), `path ${e.path}`).toBe(true);
    expect(e.message.trim().length).toBeGreaterThan(0);
  }
  return body;
}

/**
 * Standard Webhooks v1 over the raw bytes, written here from the specification (HMAC-SHA256 of
 * `id.timestamp.body` with the base64 key after `whsec_`), independent of the product's verifier. The official
 * package would sign a decoded string, which differs from the bytes for a body that is not UTF-8.
 */
export function signWebhook(secret: string, webhookId: string, timestampSeconds: number, body: Buffer): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const mac = createHmac('sha256', key).update(`${webhookId}.${timestampSeconds}.`).update(body).digest('base64');
  return `v1,${mac}`;
}
