import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { AdminAttributes } from '../../../src/events/admin-change';
import type { OrderedChange } from '../../../src/ordering/ordering-rule';
import { StateError } from '../../../src/state/errors';
import type { AdminRef, OrderedAttribute } from '../../../src/state/ordering-store';
import { ScimRecordConflictError } from '../../../src/state/scim-records';
import { useStateTable } from '../../support/dynamo';
import { type Clock, stateImplementations, unique, uniqueId } from './implementations';

/**
 * The contract of every state store, run against the DynamoDB implementation on DynamoDB Local and against the in-memory
 * one the unit tests use: the same calls must give the same answers, or a unit test would prove something the
 * deployed bridge does not do.
 */
const table = useStateTable();
const T0 = Date.parse('2026-11-27T09:15:00Z');
const clockAt = (now = T0): Clock => ({ now });

type Outcome = { result: string; code?: number };

const change = (timeMs: number, eventId: string, set: AdminAttributes, source = 'urn:hr'): OrderedChange => ({
  timeMs,
  eventId,
  source,
  set,
});
const attrs = (set: AdminAttributes) => Object.keys(set) as OrderedAttribute[];
const admin = (accountId?: number): AdminRef => ({
  ...(accountId !== undefined && { accountId }),
  adminUserId: uniqueId(),
});

describe.each(stateImplementations(table))('state store contract: $name', (impl) => {
  describe('idempotency', () => {
    it('begin, complete, begin again answers the outcome; undefined fields are not kept', async () => {
      const clock = clockAt();
      const s = impl.idempotency<Outcome>(clock);
      const key = unique('idem');
      expect(await s.begin(key, 'fp', 30_000)).toEqual({ state: 'started' });
      expect(await s.get(key)).toEqual({ status: 'in_progress', fingerprint: 'fp', leaseExpiresAt: T0 + 30_000 });
      await s.complete(key, 'fp', { result: 'applied', code: undefined });
      expect(await s.begin(key, 'fp', 30_000)).toEqual({ state: 'completed', outcome: { result: 'applied' } });
      expect(await s.get(key)).toEqual({
        status: 'completed',
        fingerprint: 'fp',
        outcome: { result: 'applied' },
        completedAt: new Date(T0).toISOString(),
      });
    });

    it('another fingerprint is a mismatch, in progress, completed, and after its lease ran out', async () => {
      const clock = clockAt();
      const s = impl.idempotency<Outcome>(clock);
      const key = unique('idem');
      await s.begin(key, 'fp-a', 1_000);
      expect(await s.begin(key, 'fp-b', 30_000)).toEqual({ state: 'mismatch' });
      clock.now += 5_000;
      expect(await s.begin(key, 'fp-b', 30_000)).toEqual({ state: 'mismatch' });
      const done = unique('idem');
      await s.begin(done, 'fp-a', 1_000);
      await s.complete(done, 'fp-a', { result: 'applied' });
      expect(await s.begin(done, 'fp-b', 1_000)).toEqual({ state: 'mismatch' });
    });

    it('a lease blocks through its last millisecond, then the same fingerprint takes it over', async () => {
      const clock = clockAt();
      const s = impl.idempotency<Outcome>(clock);
      const key = unique('idem');
      await s.begin(key, 'fp', 1_000);
      clock.now = T0 + 1_000;
      expect(await s.begin(key, 'fp', 1_000)).toEqual({ state: 'in_progress', leaseExpiresAt: T0 + 1_000 });
      clock.now = T0 + 1_001;
      expect(await s.begin(key, 'fp', 5_000)).toEqual({ state: 'started' });
      expect(await s.get(key)).toEqual({ status: 'in_progress', fingerprint: 'fp', leaseExpiresAt: T0 + 6_001 });
    });

    it('concurrent begins of one key: exactly one starts', async () => {
      const s = impl.idempotency<Outcome>(clockAt());
      const key = unique('idem');
      const results = await Promise.all(Array.from({ length: 6 }, () => s.begin(key, 'fp', 30_000)));
      expect(results.filter((r) => r.state === 'started')).toHaveLength(1);
      expect(results.filter((r) => r.state === 'in_progress')).toHaveLength(5);
    });

    it('release deletes only our in-progress record; a completed one stays', async () => {
      const s = impl.idempotency<Outcome>(clockAt());
      const key = unique('idem');
      await s.release(key, 'fp');
      await s.begin(key, 'fp', 60_000);
      await s.release(key, 'fp-other');
      expect((await s.get(key))?.status).toBe('in_progress');
      await s.release(key, 'fp');
      expect(await s.get(key)).toBeUndefined();
      await s.begin(key, 'fp', 60_000);
      await s.complete(key, 'fp', { result: 'applied' });
      await s.release(key, 'fp');
      expect((await s.get(key))?.status).toBe('completed');
    });

    it('complete needs our in-progress record, and repeating it is fine', async () => {
      const s = impl.idempotency<Outcome>(clockAt());
      const key = unique('idem');
      await expect(s.complete(key, 'fp', { result: 'applied' })).rejects.toMatchObject({
        code: 'idempotency_record_lost',
      });
      await s.begin(key, 'fp', 60_000);
      const wrong = await s.complete(key, 'fp-other', { result: 'applied' }).catch((e: unknown) => e);
      expect(wrong).toBeInstanceOf(StateError);
      expect(wrong).toMatchObject({ code: 'idempotency_record_lost' });
      await s.complete(key, 'fp', { result: 'stale' });
      await s.complete(key, 'fp', { result: 'stale' });
      expect(await s.begin(key, 'fp', 60_000)).toEqual({ state: 'completed', outcome: { result: 'stale' } });
    });

    it('a record past its retention is gone on read and a new payload may start', async () => {
      const clock = clockAt();
      const s = impl.idempotency<Outcome>(clock, { retentionSeconds: 60 });
      const key = unique('idem');
      await s.begin(key, 'fp', 1_000);
      await s.complete(key, 'fp', { result: 'applied' });
      clock.now += 59_000;
      expect((await s.get(key))?.status).toBe('completed');
      clock.now += 2_000;
      expect(await s.get(key)).toBeUndefined();
      expect(await s.begin(key, 'fp-new', 1_000)).toEqual({ state: 'started' });
    });

    it('an outcome read back is a copy: changing it changes nothing stored', async () => {
      const s = impl.idempotency<{ list: string[] }>(clockAt());
      const key = unique('idem');
      const outcome = { list: ['a'] };
      await s.begin(key, 'fp', 1_000);
      await s.complete(key, 'fp', outcome);
      outcome.list.push('b');
      const read = await s.get(key);
      if (read?.status !== 'completed') throw new Error('expected a completed record');
      read.outcome.list.push('c');
      expect(await s.begin(key, 'fp', 1_000)).toEqual({ state: 'completed', outcome: { list: ['a'] } });
    });

    it('validates an outcome it reads back against its schema', async () => {
      const outcomeSchema = z.object({ result: z.enum(['applied', 'stale']), code: z.number().optional() });
      const s = impl.idempotency<Outcome>(clockAt(), { outcomeSchema });
      const good = unique('idem');
      await s.begin(good, 'fp', 1_000);
      await s.complete(good, 'fp', { result: 'applied' });
      expect(await s.begin(good, 'fp', 1_000)).toEqual({ state: 'completed', outcome: { result: 'applied' } });
      const bad = unique('idem');
      await s.begin(bad, 'fp', 1_000);
      await s.complete(bad, 'fp', { result: 'something else' });
      await expect(s.get(bad)).rejects.toMatchObject({ name: 'StateError', code: 'state_record_malformed' });
    });

    it('rejects a lease that is not a finite number', async () => {
      const s = impl.idempotency<Outcome>(clockAt());
      await expect(s.begin(unique('idem'), 'fp', Number.NaN)).rejects.toBeInstanceOf(RangeError);
    });
  });

  describe('ordering versions', () => {
    it('records a newer change and refuses a strictly older one', async () => {
      const s = impl.ordering();
      const a = admin();
      expect(await s.record(a, ['name'], change(100, 'e1', { name: 'a' }))).toEqual({
        recorded: ['name'],
        overtaken: [],
      });
      expect(await s.record(a, ['name'], change(200, 'e2', { name: 'b' }))).toEqual({
        recorded: ['name'],
        overtaken: [],
      });
      expect(await s.record(a, ['name'], change(199, 'e3', { name: 'c' }))).toEqual({
        recorded: [],
        overtaken: ['name'],
      });
      expect(await s.versions(a)).toEqual({ name: { timeMs: 200, eventId: 'e2', source: 'urn:hr', value: 'b' } });
    });

    it('on equal times a deactivation wins; the same change may record again', async () => {
      const s = impl.ordering();
      const a = admin();
      await s.record(a, ['active'], change(100, 'act', { active: true }));
      expect(await s.record(a, ['active'], change(100, 'deact', { active: false }))).toEqual({
        recorded: ['active'],
        overtaken: [],
      });
      expect(await s.record(a, ['active'], change(100, 'act-2', { active: true }))).toEqual({
        recorded: [],
        overtaken: ['active'],
      });
      expect(await s.record(a, ['active'], change(100, 'deact', { active: false }))).toEqual({
        recorded: ['active'],
        overtaken: [],
      });
      // The same id from another source is another change.
      expect(await s.record(a, ['active'], change(90, 'deact', { active: false }, 'urn:other'))).toEqual({
        recorded: [],
        overtaken: ['active'],
      });
    });

    it('per attribute: one change records what it still wins, never a password value', async () => {
      const s = impl.ordering();
      const a = admin(42);
      await s.record(a, ['name'], change(300, 'e1', { name: 'new' }));
      const set = { name: 'old', displayName: 'D', password: 'secret-Passw0rd' };
      expect(await s.record(a, attrs(set), change(200, 'e2', set))).toEqual({
        recorded: ['displayName', 'password'],
        overtaken: ['name'],
      });
      expect(await s.versions(a)).toEqual({
        name: { timeMs: 300, eventId: 'e1', source: 'urn:hr', value: 'new' },
        displayName: { timeMs: 200, eventId: 'e2', source: 'urn:hr', value: 'D' },
        password: { timeMs: 200, eventId: 'e2', source: 'urn:hr' },
      });
      // Another account's admin of the same id is another admin.
      expect(await s.versions({ adminUserId: a.adminUserId })).toEqual({});
    });

    it('pending marks: set before the call, read with state, never stale-making, cleared only by their event', async () => {
      const s = impl.ordering();
      const a = admin();
      await s.markPending(a, ['active'], change(500, 'e-new', { active: false }), T0);
      expect(await s.state(a)).toEqual({
        applied: {},
        pending: { active: { timeMs: 500, eventId: 'e-new', source: 'urn:hr', value: false, markedAtMs: T0 } },
      });
      expect(await s.record(a, ['active'], change(400, 'e-old', { active: true }))).toEqual({
        recorded: ['active'],
        overtaken: [],
      });
      await s.clearPending(a, ['active'], 'e-old');
      expect(Object.keys((await s.state(a)).pending)).toEqual(['active']);
      await s.clearPending(a, ['active'], 'e-new');
      expect(await s.state(a)).toEqual({
        applied: { active: { timeMs: 400, eventId: 'e-old', source: 'urn:hr', value: true } },
        pending: {},
      });
    });

    it('rejects a change time that is not finite', async () => {
      await expect(
        impl.ordering().record(admin(), ['active'], change(Number.NaN, 'e', { active: false })),
      ).rejects.toBeInstanceOf(RangeError);
    });
  });

  describe('admin lease', () => {
    it('one owner at a time; the owner may take it again; it frees when released by its owner', async () => {
      const lock = impl.lock(clockAt());
      const a = admin();
      expect(await lock.tryAcquire(a, 'one', 10_000)).toBe(true);
      expect(await lock.tryAcquire(a, 'two', 10_000)).toBe(false);
      expect(await lock.tryAcquire(a, 'one', 10_000)).toBe(true);
      await lock.release(a, 'two');
      expect(await lock.tryAcquire(a, 'two', 10_000)).toBe(false);
      await lock.release(a, 'one');
      expect(await lock.tryAcquire(a, 'two', 10_000)).toBe(true);
    });

    it('a lease that ran out is taken over; until then it holds', async () => {
      const clock = clockAt();
      const lock = impl.lock(clock);
      const a = admin();
      await lock.tryAcquire(a, 'dead', 1_000);
      clock.now += 1_000;
      expect(await lock.tryAcquire(a, 'next', 1_000)).toBe(false);
      clock.now += 1;
      expect(await lock.tryAcquire(a, 'next', 1_000)).toBe(true);
      expect(await lock.tryAcquire({ accountId: 7, adminUserId: a.adminUserId }, 'other-account', 1_000)).toBe(true);
    });
  });

  describe('name cache', () => {
    it('put, get, forget, per account, and absent once expired', async () => {
      const clock = clockAt();
      const names = impl.names(clock, { ttlSeconds: 60 });
      const name = unique('jdoe');
      expect(await names.get(undefined, name)).toBeUndefined();
      await names.put(undefined, name, 17);
      expect(await names.get(undefined, name)).toBe(17);
      expect(await names.get(99, name)).toBeUndefined();
      clock.now += 61_000;
      expect(await names.get(undefined, name)).toBeUndefined();
      await names.put(undefined, name, 18);
      await names.forget(undefined, name);
      await names.forget(undefined, unique('never'));
      expect(await names.get(undefined, name)).toBeUndefined();
    });
  });

  describe('webhook ids', () => {
    it('one id, one body, until the record expires; an exact resend is accepted', async () => {
      const ids = impl.webhookIds();
      const id = unique('msg');
      expect(await ids.remember(id, Buffer.from('a'), T0, 60)).toBe('accepted');
      expect(await ids.remember(id, Buffer.from('a'), T0 + 1_000, 60)).toBe('accepted');
      expect(await ids.remember(id, Buffer.from('b'), T0 + 2_000, 60)).toBe('conflict');
      expect(await ids.remember(id, Buffer.from('b'), T0 + 61_000, 60)).toBe('accepted');
    });
  });

  describe('SCIM records', () => {
    const created = '2026-11-27T09:15:00.000Z';

    it('create, read, list in id order, update at its version, conflicts otherwise', async () => {
      const records = impl.scimRecords(uniqueId());
      const [first, second] = [uniqueId(), uniqueId()];
      const one = await records.create({
        adminUserId: second,
        attributes: { userName: 'b' },
        created,
        lastModified: created,
      });
      await records.create({ adminUserId: first, attributes: { userName: 'a' }, created, lastModified: created });
      expect(one.version).toBe(1);
      await expect(
        records.create({ adminUserId: second, attributes: {}, created, lastModified: created }),
      ).rejects.toBeInstanceOf(ScimRecordConflictError);
      expect((await records.list()).map((r) => r.adminUserId)).toEqual([first, second]);
      const updated = await records.update(one, {
        attributes: { userName: 'b2' },
        lastModified: '2026-11-28T00:00:00Z',
      });
      expect(updated.version).toBe(2);
      expect(await records.get(second)).toEqual({
        adminUserId: second,
        attributes: { userName: 'b2' },
        created,
        lastModified: '2026-11-28T00:00:00Z',
        version: 2,
      });
      await expect(records.update(one, { attributes: {}, lastModified: created })).rejects.toBeInstanceOf(
        ScimRecordConflictError,
      );
    });

    it('a tombstone stays readable, refuses writes, and a create restores it; remove deletes it', async () => {
      const records = impl.scimRecords(uniqueId());
      const id = uniqueId();
      const live = await records.create({
        adminUserId: id,
        attributes: { userName: 'x' },
        created,
        lastModified: created,
      });
      await records.tombstone(live, '2026-11-29T00:00:00Z');
      expect(await records.get(id)).toMatchObject({ deletedAt: '2026-11-29T00:00:00Z', version: 2 });
      await expect(records.tombstone(live, created)).rejects.toBeInstanceOf(ScimRecordConflictError);
      const dead = (await records.get(id))!;
      await expect(records.update(dead, { attributes: {}, lastModified: created })).rejects.toBeInstanceOf(
        ScimRecordConflictError,
      );
      const restored = await records.create({
        adminUserId: id,
        attributes: { userName: 'y' },
        created,
        lastModified: created,
      });
      expect(await records.get(id)).toEqual(restored);
      await records.remove(id);
      expect(await records.get(id)).toBeUndefined();
      expect(await records.list()).toEqual([]);
    });

    it('attributes read back are a copy: changing them changes nothing stored', async () => {
      const records = impl.scimRecords(uniqueId());
      const id = uniqueId();
      const attributes = { userName: 'z', tags: ['a'] };
      await records.create({ adminUserId: id, attributes, created, lastModified: created });
      attributes.tags.push('b');
      const read = (await records.get(id))!;
      (read.attributes.tags as string[]).push('c');
      expect((await records.get(id))?.attributes).toEqual({ userName: 'z', tags: ['a'] });
    });
  });
});
