import { describe, expect, it } from 'vitest';
import { applyChange } from '../../../src/apply/apply-change';
import { adminChangeFromEvent } from '../../../src/events/admin-change';
import { parseAdminChangeEvent } from '../../../src/events/parse-admin-change-event';
import { SCIM_SOURCE as GUARD_SCIM_SOURCE } from '../../../src/guard/held-change';
import { discardHeld, releaseHeld, selectHeld } from '../../../src/guard/release-held';
import { deadlineIn } from '../../../src/runtime/deadline';
import { applyScimChange, SCIM_SOURCE, scimChange } from '../../../src/scim/apply-scim-change';
import { ScimError } from '../../../src/scim/protocol/scim-error';
import type { ScimContext, ScimDeps } from '../../../src/scim/scim-deps';
import { processBatch } from '../../../src/worker/process-batch';
import { cloudEvent, uniqueEventId } from '../../support/cloud-event';
import { sqsFifoEvent } from '../../support/sqs-event';
import { useGuardWorld, writesTo } from './guard-world';

const T0 = Date.parse('2026-11-27T09:00:00Z');
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

function event(type: 'admin.activated' | 'admin.deactivated', name: string, minute: number, source = 'urn:hr:workday') {
  const parsed = parseAdminChangeEvent(
    cloudEvent({ id: uniqueEventId(), source, type, time: at(minute), data: { admin_user_name: name } }),
    Date.now(),
  );
  if (!parsed.ok) throw new Error('test event is invalid');
  return adminChangeFromEvent(parsed.event, Date.now());
}

const deadline = () => deadlineIn(20_000);

describe('a burst of activations over the threshold', () => {
  const world = useGuardWorld({ admins: 8 });

  it('applies the first ones, holds the rest with the reason, and a redelivery of a held change is the same one', async () => {
    const changes = [1, 2, 3, 4].map((i) => event('admin.activated', `user${i}`, i));
    const outcomes = [];
    for (const c of changes) outcomes.push(await applyChange(c, world.apply, deadline()));
    expect(outcomes.map((o) => (o.kind === 'done' ? o.outcome.status : o.kind))).toEqual([
      'applied',
      'applied',
      'held',
      'held',
    ]);
    const third = outcomes[2];
    expect(third?.kind === 'done' && third.outcome.error_code).toBe('guard_activations');
    // Held means not applied: no write reached Voximplant for user3 or user4.
    expect(writesTo(world.sim, world.ids.get('user3') ?? 0)).toEqual([]);
    expect(writesTo(world.sim, world.ids.get('user4') ?? 0)).toEqual([]);

    // A redelivery finds it held: one item, not counted again.
    const again = await applyChange(changes[2] as (typeof changes)[number], world.apply, deadline());
    expect(again.kind === 'done' && again.outcome.status).toBe('held');
    const held = await world.held.list();
    expect(held.map((h) => h.change.eventId)).toEqual([changes[2]?.eventId, changes[3]?.eventId]);
    expect(held[0]?.reason).toMatch(/more than 2 activations/);
    expect(world.log.lines.some((l) => l.message === 'change held by the blast-radius guard')).toBe(true);
  });

  it('a later change to a held admin waits behind it; releasing out of order leaves the older change stale', async () => {
    // user3's activation (minute 3) is held; HR deactivates user3 at minute 10: held behind it, not counted.
    const deactivation = event('admin.deactivated', 'user3', 10);
    const held = await applyChange(deactivation, world.apply, deadline());
    expect(held.kind === 'done' && held.outcome.error_code).toBe('guard_behind_held_change');

    // The operator releases the deactivation alone first: it applies.
    const [first] = await releaseHeld(
      selectHeld(await world.held.list(), { id: deactivation.eventId }),
      world,
      deadline(),
    );
    expect(first?.outcome).toBe('applied');
    const user3 = world.ids.get('user3') ?? 0;
    expect(world.sim.admins().find((a) => a.admin_user_id === user3)?.admin_user_active).toBe(false);

    // Then everything, in ordering time: user3's activation is older than the applied deactivation, so it is stale
    // and stays unapplied; user4's applies.
    const reports = await releaseHeld(selectHeld(await world.held.list(), { all: true }), world, deadline());
    expect(reports.map((r) => [r.admin_user_id, r.outcome])).toEqual([
      [user3, 'stale'],
      [world.ids.get('user4'), 'applied'],
    ]);
    expect(world.sim.admins().find((a) => a.admin_user_id === user3)?.admin_user_active).toBe(false);
    expect(writesTo(world.sim, user3).map((p) => p.admin_user_active)).toEqual(['false']);
    expect(await world.held.list()).toEqual([]);
  });

  it('releases in ordering time, not in the order the changes were held', async () => {
    world.clock.now += 15 * 60_000 * 3; // a fresh window: nothing carried over
    // Fill the window, then hold two whose times are the other way round from their arrival.
    await applyChange(event('admin.deactivated', 'user5', 20), world.apply, deadline());
    const fill = [event('admin.activated', 'user7', 21), event('admin.activated', 'user8', 22)];
    for (const c of fill) await applyChange(c, world.apply, deadline());
    const late = event('admin.activated', 'user6', 31);
    const early = event('admin.activated', 'user5', 30);
    for (const c of [late, early]) {
      const r = await applyChange(c, world.apply, deadline());
      expect(r.kind === 'done' && r.outcome.status).toBe('held');
    }
    const reports = await releaseHeld(selectHeld(await world.held.list(), { all: true }), world, deadline());
    expect(reports.map((r) => r.event_id)).toEqual([early.eventId, late.eventId]);
    expect(reports.map((r) => r.outcome)).toEqual(['applied', 'applied']);
    const order = world.sim
      .calls()
      .filter((c) => c.method === 'SetAdminUserInfo')
      .slice(-2)
      .map((c) => Number(c.params.required_admin_user_id));
    expect(order).toEqual([world.ids.get('user5'), world.ids.get('user6')]);
  });

  it('discard drops a held change with an audit line, and it is never applied', async () => {
    world.clock.now += 15 * 60_000 * 3;
    for (const i of [1, 2]) await applyChange(event('admin.activated', `user${i}`, 40 + i), world.apply, deadline());
    const dropped = event('admin.activated', 'user7', 45);
    await applyChange(dropped, world.apply, deadline());
    const writesBefore = writesTo(world.sim, world.ids.get('user7') ?? 0).length;
    const [target] = selectHeld(await world.held.list(), { id: dropped.eventId });
    expect(target).toBeDefined();
    expect(await discardHeld(target as NonNullable<typeof target>, world)).toBe(true);
    expect(await world.held.list()).toEqual([]);
    expect(
      world.log.lines.some(
        (l) => l.message === 'audit' && l.fields.outcome === 'discarded' && l.fields.event_id === dropped.eventId,
      ),
    ).toBe(true);
    expect(writesTo(world.sim, world.ids.get('user7') ?? 0).length).toBe(writesBefore);
  });
});

describe('a burst of deactivations over a share of the account', () => {
  // 8 admins, 25%: two deactivations per window apply.
  const world = useGuardWorld({ admins: 8 });

  it('holds the deactivations past the percentage', async () => {
    const outcomes = [];
    for (const i of [1, 2, 3, 4]) {
      const r = await applyChange(event('admin.deactivated', `user${i}`, i), world.apply, deadline());
      outcomes.push(r.kind === 'done' ? r.outcome.status : r.kind);
    }
    expect(outcomes).toEqual(['applied', 'applied', 'held', 'held']);
    const held = await world.held.list();
    expect(held.map((h) => [h.kind, h.reason_code])).toEqual([
      ['deactivation', 'guard_deactivations'],
      ['deactivation', 'guard_deactivations'],
    ]);
    expect(world.sim.admins().filter((a) => !a.admin_user_active && a.admin_user_name !== 'owner')).toHaveLength(2);
    // Released, the offboardings complete.
    const reports = await releaseHeld(held, world, deadline());
    expect(reports.map((r) => r.outcome)).toEqual(['applied', 'applied']);
    expect(world.sim.admins().filter((a) => a.admin_user_name.startsWith('user') && !a.admin_user_active)).toHaveLength(
      4,
    );
  });
});

describe('the deactivation half turned off (a planned layoff)', () => {
  const world = useGuardWorld({ admins: 8, settings: { holdDeactivations: false } });

  it('applies every deactivation and still holds activations', async () => {
    for (const i of [1, 2, 3, 4, 5]) {
      const r = await applyChange(event('admin.deactivated', `user${i}`, i), world.apply, deadline());
      expect(r.kind === 'done' && r.outcome.status).toBe('applied');
    }
    for (const i of [6, 7]) await applyChange(event('admin.activated', `user${i}`, 10 + i), world.apply, deadline());
    const r = await applyChange(event('admin.activated', 'user8', 20), world.apply, deadline());
    expect(r.kind === 'done' && r.outcome.status).toBe('held');
  });
});

describe('events, Okta deliveries and SCIM count in one window', () => {
  const world = useGuardWorld({ admins: 8 });

  function scimContext(): ScimContext {
    const counted: string[] = [];
    const deps = { apply: world.apply, count: (m: string) => counted.push(m) } as unknown as ScimDeps;
    return {
      deps,
      deadline: deadline(),
      receivedAt: Date.now(),
      requestId: `req-${uniqueEventId()}`,
      baseUrl: 'http://127.0.0.1/scim/v2',
    };
  }

  it('holds the third activation whichever route brought it, and a SCIM retry is not a second held change', async () => {
    expect(GUARD_SCIM_SOURCE).toBe(SCIM_SOURCE);
    const worker = {
      apply: world.apply,
      deadLetter: async () => {
        throw new Error('nothing here is dead-lettered');
      },
      concurrency: 2,
    };
    const hr = cloudEvent({
      id: uniqueEventId(),
      type: 'admin.activated',
      time: at(1),
      data: { admin_user_name: 'user1' },
    });
    const okta = cloudEvent({
      id: uniqueEventId(),
      source: 'urn:okta:acme.okta.com',
      type: 'admin.activated',
      time: at(2),
      data: { admin_user_name: 'user2' },
    });
    const batch = sqsFifoEvent([
      { body: hr, groupId: 'main/name:user1' },
      { body: okta, groupId: 'main/name:user2' },
    ]);
    expect((await processBatch(batch.Records, worker, deadline())).batchItemFailures).toEqual([]);

    const user3 = world.ids.get('user3') ?? 0;
    const attempt = async () => {
      const ctx = scimContext();
      return applyScimChange(ctx, scimChange(ctx, 'patch', user3, { active: true })).catch((e: unknown) => e);
    };
    const first = await attempt();
    expect(first).toBeInstanceOf(ScimError);
    expect((first as ScimError).status).toBe(503);
    expect((first as ScimError).retryAfterSeconds).toBeGreaterThan(0);
    expect((first as ScimError).detail).toMatch(/held/);
    // Entra / Okta retry: a new request with a new id, the same change.
    const retry = await attempt();
    expect((retry as ScimError).status).toBe(503);
    const held = await world.held.list();
    expect(held).toHaveLength(1);
    expect(held[0]?.change.source).toBe(SCIM_SOURCE);
    expect(writesTo(world.sim, user3)).toEqual([]);

    // A held event from the queue is answered like an applied one (deleted), and logged with its reason.
    const fourth = cloudEvent({
      id: uniqueEventId(),
      type: 'admin.activated',
      time: at(4),
      data: { admin_user_name: 'user4' },
    });
    const out = await processBatch(
      sqsFifoEvent([{ body: fourth, groupId: 'main/name:user4' }]).Records,
      worker,
      deadline(),
    );
    expect(out.batchItemFailures).toEqual([]);
    expect(
      world.log.lines.some((l) => l.message.startsWith('change held') && l.fields.reason_code === 'guard_activations'),
    ).toBe(true);
    expect((await world.held.list()).map((h) => h.change.eventId)).toContain(fourth.id);

    // Released, the SCIM change applies; the IdP's next retry then finds nothing to do.
    const reports = await releaseHeld(selectHeld(await world.held.list(), { all: true }), world, deadline());
    expect(reports.map((r) => r.outcome)).toEqual(['applied', 'applied']);
    expect(writesTo(world.sim, user3).map((p) => p.admin_user_active)).toEqual(['true']);
  });
});
