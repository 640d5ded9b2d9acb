import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { AdminAttributes } from '../../../src/events/admin-change';
import type { OrderedChange } from '../../../src/ordering/ordering-rule';
import type { ChangeClaim } from '../../../src/state/change-store';
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

  describe('change store', () => {
    const claimOf = (
      key: string,
      a: AdminRef,
      c: OrderedChange,
      opts: { leaseMs?: number; listed?: boolean; cutoff?: number; fingerprint?: string } = {},
    ): ChangeClaim => ({
      key,
      fingerprint: opts.fingerprint ?? `fp-${key}`,
      leaseMs: opts.leaseMs ?? 10_000,
      admin: a,
      attributes: attrs(c.set),
      change: c,
      reactivationListed: opts.listed ?? false,
      pendingCutoffMs: opts.cutoff ?? 0,
    });
    const settleOf = (key: string, a: AdminRef, c: OrderedChange, result = 'applied') => ({
      key,
      fingerprint: `fp-${key}`,
      admin: a,
      attributes: attrs(c.set),
      change: c,
      outcome: { result },
    });

    it('claim, settle, and the same change again is answered from its record', async () => {
      const { changes, ordering } = impl.changes<Outcome>(clockAt());
      const a = admin();
      const key = unique('k');
      const off = change(T0, unique('e'), { active: false });
      expect(await changes.claim(claimOf(key, a, off))).toEqual({ state: 'claimed' });
      expect(await changes.settle(settleOf(key, a, off))).toEqual({ overtaken: [] });
      expect(await changes.claim(claimOf(key, a, off))).toEqual({ state: 'completed', outcome: { result: 'applied' } });
      const state = await ordering.state(a);
      expect(state.applied.active).toMatchObject({ timeMs: T0, eventId: off.eventId, value: false });
      expect(state.pending).toEqual({});
      // The lease went with the settle: another change may claim at once.
      const next = change(T0 + 1, unique('e'), { name: 'new-name' });
      expect(await changes.claim(claimOf(unique('k'), a, next))).toEqual({ state: 'claimed' });
    });

    it('one change per admin at a time; a lease that ran out is taken over; admins and accounts apart', async () => {
      const clock = clockAt();
      const { changes } = impl.changes<Outcome>(clock);
      const a = admin();
      const first = unique('k');
      expect(
        await changes.claim(claimOf(first, a, change(T0, unique('e'), { active: false }), { leaseMs: 1_000 })),
      ).toEqual({
        state: 'claimed',
      });
      const second = claimOf(unique('k'), a, change(T0 + 5, unique('e'), { displayName: 'x' }));
      const refused = await changes.claim(second);
      expect(refused).toMatchObject({ state: 'refused', admin: { lease: { owner: first, expiresAtMs: T0 + 1_000 } } });
      expect(
        await changes.claim(claimOf(unique('k'), { accountId: 7, adminUserId: a.adminUserId }, second.change)),
      ).toEqual({
        state: 'claimed',
      });
      clock.now += 1_000;
      expect((await changes.claim(second)).state).toBe('refused');
      clock.now += 1;
      expect(await changes.claim(second)).toEqual({ state: 'claimed' });
    });

    it('a refused claim leaves nothing behind: stale against the versions, asked again it is refused again', async () => {
      const { changes, ordering } = impl.changes<Outcome>(clockAt());
      const a = admin();
      const newer = change(T0 + 10, unique('e'), { active: false });
      const key = unique('k');
      await changes.claim(claimOf(key, a, newer));
      await changes.settle(settleOf(key, a, newer));
      const older = claimOf(unique('k'), a, change(T0, unique('e'), { active: true }), { listed: true });
      const refused = await changes.claim(older);
      expect(refused).toMatchObject({ state: 'refused', admin: { applied: { active: { timeMs: T0 + 10 } } } });
      expect(await changes.claim(older)).toMatchObject({ state: 'refused' });
      expect((await ordering.state(a)).pending).toEqual({});
      // An activation does not win a tie; a deactivation does.
      const tieOn = claimOf(unique('k'), a, change(T0 + 10, unique('e'), { active: true }), { listed: true });
      expect((await changes.claim(tieOn)).state).toBe('refused');
      const tieOff = claimOf(unique('k'), a, change(T0 + 10, unique('e'), { active: false }));
      expect(await changes.claim(tieOff)).toEqual({ state: 'claimed' });
    });

    it('a pending mark of an unsettled change holds older changes back until the cutoff passes it', async () => {
      const { changes, ordering } = impl.changes<Outcome>(clockAt());
      const a = admin();
      const sent = change(T0 + 10, unique('e'), { active: false });
      const key = unique('k');
      await changes.claim(claimOf(key, a, sent));
      // Outcome unknown: the key and lease are given back, the mark stays.
      await changes.release({
        key,
        fingerprint: `fp-${key}`,
        admin: a,
        attributes: ['active'],
        eventId: sent.eventId,
        clearPending: false,
      });
      expect((await ordering.state(a)).pending.active).toMatchObject({ eventId: sent.eventId, markedAtMs: T0 });
      const older = change(T0 + 5, unique('e'), { active: true });
      expect(await changes.claim(claimOf(unique('k'), a, older, { listed: true, cutoff: T0 }))).toMatchObject({
        state: 'refused',
        admin: { pending: { active: { eventId: sent.eventId } } },
      });
      // The marked change itself is never held back by its own mark, and a newer one is not either.
      expect(await changes.claim(claimOf(key, a, sent, { cutoff: T0 }))).toEqual({ state: 'claimed' });
      await changes.release({
        key,
        fingerprint: `fp-${key}`,
        admin: a,
        attributes: ['active'],
        eventId: sent.eventId,
        clearPending: true,
      });
      expect((await ordering.state(a)).pending).toEqual({});
      expect(await changes.claim(claimOf(unique('k'), a, older, { listed: true, cutoff: T0 }))).toEqual({
        state: 'claimed',
      });
    });

    it('re-activation: only the deactivating source, a listed one, or over an applied activation', async () => {
      const { changes } = impl.changes<Outcome>(clockAt());
      const a = admin();
      const off = change(T0, unique('e'), { active: false }, 'urn:hr');
      const key = unique('k');
      await changes.claim(claimOf(key, a, off));
      await changes.settle(settleOf(key, a, off));
      const byOther = change(T0 + 1, unique('e'), { active: true }, 'urn:okta');
      expect((await changes.claim(claimOf(unique('k'), a, byOther))).state).toBe('refused');
      expect(await changes.claim(claimOf(unique('k'), admin(), byOther))).toEqual({ state: 'claimed' });
      const listedKey = unique('k');
      expect(await changes.claim(claimOf(listedKey, a, byOther, { listed: true }))).toEqual({ state: 'claimed' });
      await changes.release({
        key: listedKey,
        fingerprint: `fp-${listedKey}`,
        admin: a,
        attributes: ['active'],
        eventId: byOther.eventId,
        clearPending: true,
      });
      const bySame = change(T0 + 2, unique('e'), { active: true }, 'urn:hr');
      expect(await changes.claim(claimOf(unique('k'), a, bySame))).toEqual({ state: 'claimed' });
    });

    it('a key in progress, another payload under a key, and a record closed without a claim', async () => {
      const { changes } = impl.changes<Outcome>(clockAt());
      const key = unique('k');
      const c = change(T0, unique('e'), { active: false });
      await changes.claim(claimOf(key, admin(), c));
      expect(await changes.claim(claimOf(key, admin(), c))).toEqual({
        state: 'in_progress',
        leaseExpiresAt: T0 + 10_000,
      });
      expect(await changes.claim(claimOf(key, admin(), c, { fingerprint: 'other' }))).toEqual({ state: 'mismatch' });
      const closed = unique('k');
      await changes.closeUnclaimed(closed, `fp-${closed}`, { result: 'stale' });
      await changes.closeUnclaimed(closed, `fp-${closed}`, { result: 'second' });
      expect(await changes.claim(claimOf(closed, admin(), c))).toEqual({
        state: 'completed',
        outcome: { result: 'stale' },
      });
    });

    it('a settle after the lease ran out and a newer change was recorded keeps the newer version', async () => {
      const clock = clockAt();
      const { changes, ordering } = impl.changes<Outcome>(clock);
      const a = admin();
      const slow = change(T0, unique('e'), { active: true, displayName: 'slow' });
      const slowKey = unique('k');
      await changes.claim(claimOf(slowKey, a, slow, { leaseMs: 1_000, listed: true }));
      clock.now += 1_001;
      const fast = change(T0 + 1, unique('e'), { active: false });
      const fastKey = unique('k');
      expect(await changes.claim(claimOf(fastKey, a, fast))).toEqual({ state: 'claimed' });
      await changes.settle(settleOf(fastKey, a, fast));
      expect(await changes.settle(settleOf(slowKey, a, slow))).toEqual({ overtaken: ['active'] });
      const state = await ordering.state(a);
      expect(state.applied.active).toMatchObject({ eventId: fast.eventId, value: false });
      expect(state.applied.displayName).toMatchObject({ eventId: slow.eventId, value: 'slow' });
      expect(state.pending).toEqual({});
      expect(await changes.claim(claimOf(slowKey, a, slow))).toMatchObject({ state: 'completed' });
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
