import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { HttpRequest } from '../../src/http/http-message';
import { createLogger } from '../../src/observability/logger';
import type { Enqueue, QueueEntry } from '../../src/queue/enqueue';
import { MemoryWebhookIdStore } from './memory-state';

/** Shared by the ingress unit and integration tests: requests signed by the official Standard Webhooks package. */

export const NOW = Date.parse('2026-11-27T09:20:00Z');
export const NOW_SECONDS = Math.floor(NOW / 1000);

export const silentLogger = createLogger('test', 'silent');

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface SignOptions {
  /** Every secret signs; the header carries one `v1,` entry per secret, as a sender does during rotation. */
  secrets: string[];
  body: string | Buffer;
  webhookId?: string;
  timestampSeconds?: number;
  contentType?: string;
  headers?: Record<string, string>;
  method?: string;
}

export function signedHeaders(options: SignOptions): Record<string, string> {
  const webhookId = options.webhookId ?? 'msg_2ndA1qLQ3Q';
  const at = new Date((options.timestampSeconds ?? NOW_SECONDS) * 1000);
  const signatures = options.secrets.map((s) => new Webhook(s).sign(webhookId, at, options.body));
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}

export function signedRequest(options: SignOptions): HttpRequest {
  return {
    method: options.method ?? 'POST',
    path: '/events',
    headers: {
      'content-type': options.contentType ?? 'application/cloudevents+json',
      ...signedHeaders(options),
      ...options.headers,
    },
    rawBody: Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, 'utf8'),
    query: {},
  };
}

/** An in-memory queue that records what it was given, or fails the way SQS can. */
export function recordingQueue(fail?: Error): { enqueue: Enqueue; sent: QueueEntry[] } {
  const sent: QueueEntry[] = [];
  return {
    sent,
    enqueue: async (entries) => {
      if (fail) throw fail;
      sent.push(...entries);
    },
  };
}

export const constantSecret = <T>(value: T) => ({ get: async () => value });

/** Accepted webhook-ids in memory, held to the state table's rule by test/contract/state/state-stores.test.ts. */
export function memoryWebhookIds(): MemoryWebhookIdStore {
  return new MemoryWebhookIdStore();
}
