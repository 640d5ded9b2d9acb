import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { StateError } from '../../../src/state/errors';
import { DEFAULT_RETENTION_SECONDS, DynamoIdempotencyStore } from '../../../src/state/idempotency-store';
import { idempotencyItemKey } from '../../../src/state/keys';
import { useStateTable } from '../../support/dynamo';

type Outcome = { result: string; code?: number };

const SEVEN_DAYS = 7 * 24 * 60 * 60;
const T0 = Date.parse('2026-11-27T09:15:00Z');

let keyCounter = 0;
const newKey = () => `key-${++keyCounter}-${Math.random().toString(16).slice(2)}`;

describe('IdempotencyStore', () => {
  const table = useStateTable();
  const clock = { now: T0 };
  const store = () => new DynamoIdempotencyStore<Outcome>(table.doc, table.tableName, { now: () => clock.now });
  const rawItem = async (key: string) =>
    (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: idempotencyItemKey(key) }))).Item;

  it('begin, complete, begin again: the second begin returns the recorded outcome', async () => {
    const s = store();
    const key = newKey();
    expect(await s.begin(key, 'fp-1', 30_000)).toEqual({ state: 'started' });
    await s.complete(key, 'fp-1', { result: 'applied', code: undefined });
    expect(await s.begin(key, 'fp-1', 30_000)).toEqual({ state: 'completed', outcome: { result: 'applied' } });
    expect(await s.get(key)).toEqual({
      status: 'completed',
      fingerprint: 'fp-1',
      outcome: { result: 'applied' },
      completedAt: new Date(clock.now).toISOString(),
    });
  });

  it('the same key with another fingerprint is a mismatch, in progress or completed', async () => {
    const s = store();
    const key = newKey();
    await s.begin(key, 'fp-a', 30_000);
    expect(await s.begin(key, 'fp-b', 30_000)).toEqual({ state: 'mismatch' });
    await s.complete(key, 'fp-a', { result: 'applied' });
    expect(await s.begin(key, 'fp-b', 30_000)).toEqual({ state: 'mismatch' });
  });

  it('concurrent begins of one key: exactly one starts, the others see it in progress', async () => {
    const s = store();
    const key = newKey();
    const results = await Promise.all(Array.from({ length: 12 }, () => s.begin(key, 'fp', 30_000)));
    expect(results.filter((r) => r.state === 'started')).toHaveLength(1);
    expect(results.filter((r) => r.state === 'in_progress')).toHaveLength(11);
    for (const r of results) if (r.state === 'in_progress') expect(r.leaseExpiresAt).toBe(clock.now + 30_000);
  });

  it('an in-progress lease blocks until it expires, then the same fingerprint takes it over', async () => {
    const s = store();
    const key = newKey();
    const start = clock.now;
    await s.begin(key, 'fp', 1_000);
    clock.now = start + 1_000; // the last millisecond of the lease still blocks
    expect(await s.begin(key, 'fp', 1_000)).toEqual({ state: 'in_progress', leaseExpiresAt: start + 1_000 });
    clock.now = start + 1_001;
    expect(await s.begin(key, 'fp-other', 1_000)).toEqual({ state: 'mismatch' });
    expect(await s.begin(key, 'fp', 5_000)).toEqual({ state: 'started' });
    expect(await s.get(key)).toEqual({ status: 'in_progress', fingerprint: 'fp', leaseExpiresAt: start + 6_001 });
  });

  it('a lease of 0 ms blocks nobody (a caller with no time left does not leave the key stuck)', async () => {
    const s = store();
    const key = newKey();
    await s.begin(key, 'fp', 0);
    clock.now += 1;
    expect(await s.begin(key, 'fp', 10_000)).toEqual({ state: 'started' });
  });

  it('release deletes our in-progress record so a redelivery starts at once', async () => {
    const s = store();
    const key = newKey();
    await s.begin(key, 'fp', 60_000);
    await s.release(key, 'fp-other'); // not ours: kept
    expect((await s.get(key))?.status).toBe('in_progress');
    await s.release(key, 'fp');
    expect(await s.get(key)).toBeUndefined();
    expect(await s.begin(key, 'fp', 60_000)).toEqual({ state: 'started' });
  });

  it('release leaves a completed record alone, and releasing nothing is fine', async () => {
    const s = store();
    const key = newKey();
    await s.release(key, 'fp');
    await s.begin(key, 'fp', 60_000);
    await s.complete(key, 'fp', { result: 'applied' });
    await s.release(key, 'fp');
    expect((await s.get(key))?.status).toBe('completed');
  });

  it('complete is conditional on our in-progress record, and safe to repeat', async () => {
    const s = store();
    const key = newKey();
    await expect(s.complete(key, 'fp', { result: 'applied' })).rejects.toMatchObject({
      code: 'idempotency_record_lost',
    });
    await s.begin(key, 'fp', 60_000);
    const wrong = s.complete(key, 'fp-other', { result: 'applied' });
    await expect(wrong).rejects.toThrowError(StateError);
    await expect(wrong).rejects.toMatchObject({ code: 'idempotency_record_lost' });
    await s.complete(key, 'fp', { result: 'stale' });
    await s.complete(key, 'fp', { result: 'stale' }); // an SDK retry of a write that had landed
    expect(await s.begin(key, 'fp', 60_000)).toEqual({ state: 'completed', outcome: { result: 'stale' } });
  });

  it('keeps records at least 7 days (8 by default) in expires_at, in progress and completed', async () => {
    const s = store();
    const key = newKey();
    await s.begin(key, 'fp', 60_000);
    const inProgress = await rawItem(key);
    expect(inProgress?.expires_at).toBe(Math.ceil(clock.now / 1000) + DEFAULT_RETENTION_SECONDS);
    clock.now += 10_000;
    await s.complete(key, 'fp', { result: 'applied' });
    const completed = await rawItem(key);
    expect(completed?.expires_at).toBeGreaterThanOrEqual(clock.now / 1000 + SEVEN_DAYS);
    expect(completed?.expires_at).toBe(Math.ceil(clock.now / 1000) + DEFAULT_RETENTION_SECONDS);
    expect(completed).not.toHaveProperty('lease_expires_at');
  });

  it('treats a record past expires_at as gone, although the table still holds it (TTL is lazy, DynamoDB Local never expires)', async () => {
    const s = new DynamoIdempotencyStore<Outcome>(table.doc, table.tableName, {
      retentionSeconds: 60,
      now: () => clock.now,
    });
    const key = newKey();
    await s.begin(key, 'fp', 1_000);
    await s.complete(key, 'fp', { result: 'applied' });
    clock.now += 61_000;
    expect(await rawItem(key)).toBeDefined();
    expect(await s.get(key)).toBeUndefined();
    expect(await s.begin(key, 'fp-new', 1_000)).toEqual({ state: 'started' });
  });

  it('validates a stored outcome it reads back, when given its schema', async () => {
    const outcomeSchema = z.object({ result: z.enum(['applied', 'stale']), code: z.number().optional() });
    const strict = new DynamoIdempotencyStore<Outcome>(table.doc, table.tableName, {
      now: () => clock.now,
      outcomeSchema,
    });
    const good = newKey();
    await strict.begin(good, 'fp', 30_000);
    await strict.complete(good, 'fp', { result: 'applied' });
    expect(await strict.begin(good, 'fp', 30_000)).toEqual({ state: 'completed', outcome: { result: 'applied' } });

    const bad = newKey();
    await store().begin(bad, 'fp', 30_000);
    await store().complete(bad, 'fp', { result: 'something else' });
    const reading = strict.get(bad);
    await expect(reading).rejects.toThrowError(StateError);
    await expect(reading).rejects.toMatchObject({ code: 'state_record_malformed' });
  });

  it('rejects a lease that is not a number', async () => {
    await expect(store().begin(newKey(), 'fp', Number.NaN)).rejects.toBeInstanceOf(RangeError);
  });
});
