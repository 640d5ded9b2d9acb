import { describe, expect, it } from 'vitest';
import { dynamoWebhookIdStore } from '../../../src/state/webhook-id-store';
import { useStateTable } from '../../support/dynamo';

/** The accepted-webhook-id rule on DynamoDB Local, which never expires items: expiry must be decided by `expires_at` alone. */
const state = useStateTable();
const NOW = Date.parse('2026-11-27T09:20:00Z');
const body = (text: string) => Buffer.from(text, 'utf8');

describe('dynamoWebhookIdStore', () => {
  it('accepts a new id, its exact resend, and refuses the id with another body', async () => {
    const store = dynamoWebhookIdStore(state.doc, state.tableName);
    expect(await store.remember('msg_a', body('{"a":1}'), NOW, 600)).toBe('accepted');
    expect(await store.remember('msg_a', body('{"a":1}'), NOW + 1_000, 600)).toBe('accepted');
    expect(await store.remember('msg_a', body('{"a":2}'), NOW + 2_000, 600)).toBe('conflict');
    expect(await store.remember('msg_b', body('{"a":2}'), NOW + 2_000, 600)).toBe('accepted');
  });

  it('lets an expired record be taken by another body (the item is still there: DynamoDB Local never deletes it)', async () => {
    const store = dynamoWebhookIdStore(state.doc, state.tableName);
    expect(await store.remember('msg_c', body('one'), NOW, 600)).toBe('accepted');
    expect(await store.remember('msg_c', body('two'), NOW + 599_000, 600)).toBe('conflict');
    expect(await store.remember('msg_c', body('two'), NOW + 601_000, 600)).toBe('accepted');
    expect(await store.remember('msg_c', body('one'), NOW + 602_000, 600)).toBe('conflict');
  });
});
