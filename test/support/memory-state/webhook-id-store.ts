import { epochSeconds, expiresAtSeconds } from '../../../src/state/expiry';
import { bodySha256, type WebhookIdStore } from '../../../src/state/webhook-id-store';

/** Accepted webhook-ids in a Map, with the table's rule: unknown, expired, or the same body hash is accepted. */
export class MemoryWebhookIdStore implements WebhookIdStore {
  readonly ids = new Map<string, { hash: string; expiresAt: number }>();

  async remember(
    webhookId: string,
    body: Buffer,
    nowMs: number,
    keepSeconds: number,
  ): Promise<'accepted' | 'conflict'> {
    const hash = bodySha256(body);
    const known = this.ids.get(webhookId);
    if (known !== undefined && known.expiresAt > epochSeconds(nowMs) && known.hash !== hash) return 'conflict';
    this.ids.set(webhookId, { hash, expiresAt: expiresAtSeconds(nowMs, keepSeconds) });
    return 'accepted';
  }
}
