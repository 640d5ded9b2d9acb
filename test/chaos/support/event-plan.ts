import { targetOf } from '../../../src/events/admin-change';
import { idempotencyKey } from '../../../src/events/idempotency-key';
import { messageGroupId } from '../../../src/events/message-group';
import type { SeedAdmin } from '../../../tooling/sim/simulator';
import { cloudEvent } from '../../support/cloud-event';
import type { Random } from '../../support/prng';

/** An admin of the chaos account. `byName` admins are also addressed by name, so they are never renamed. */
export interface ChaosAdmin {
  id: number;
  name: string;
  displayName: string;
  active: boolean;
  byName: boolean;
}

export interface AdminValues {
  active: boolean;
  name: string;
  displayName: string;
}

export type Expectation = 'apply' | 'admin_not_found' | 'protected_admin';

export interface PlannedEvent {
  index: number;
  event: Record<string, unknown>;
  body: string;
  groupId: string;
  key: string;
  /** `apply`: the target exists and is not protected; otherwise the dead-letter code it must end with. */
  expect: Expectation;
  adminId?: number;
  set: Partial<AdminValues>;
  timeMs: number;
}

export interface Delivery {
  body: string;
  groupId: string;
  /** The planned event; undefined for an invalid message. */
  eventIndex?: number;
  duplicate: boolean;
  displaced: boolean;
}

export interface ChaosPlan {
  admins: ChaosAdmin[];
  events: PlannedEvent[];
  invalidBodies: string[];
  deliveries: Delivery[];
  figures: {
    events: number;
    deliveries: number;
    duplicates: number;
    outOfOrder: number;
    invalid: number;
    toUnknownAdmins: number;
    toProtectedAdmin: number;
    byType: Record<string, number>;
  };
}

export interface PlanOptions {
  events: number;
  admins: number;
  /** How many of the admins are (also) addressed by name. */
  byNameAdmins: number;
  /** The protected admin, as the simulator seeds it (the owner). */
  protectedAdmin: { id: number; name: string };
  firstAdminId?: number;
  duplicateShare?: number;
  outOfOrderShare?: number;
  invalidShare?: number;
  unknownShare?: number;
  protectedShare?: number;
  /** Event `time`s are `baseTimeMs + index` seconds, so no two changes ever tie. */
  baseTimeMs: number;
  source?: string;
  idPrefix: string;
}

export const CHAOS_SOURCE = 'urn:chaos:hr';

/**
 * The chaos event stream: every event type over many admins, addressed by id and (for some) by name, a few to
 * unknown names and to the protected owner, some invalid messages; then the delivery order: a share of events
 * delivered twice and a share displaced after newer events of the same admin.
 */
export function planChaos(random: Random, opts: PlanOptions): ChaosPlan {
  const source = opts.source ?? CHAOS_SOURCE;
  const firstId = opts.firstAdminId ?? 100;
  const admins: ChaosAdmin[] = Array.from({ length: opts.admins }, (_, i) => ({
    id: firstId + i,
    name: `adm-${String(i).padStart(3, '0')}`,
    displayName: `Admin ${i}`,
    active: random.chance(0.7),
    byName: i < opts.byNameAdmins,
  }));
  const byType: Record<string, number> = {};
  const events: PlannedEvent[] = [];
  let unknown = 0;
  let toProtected = 0;

  for (let index = 0; index < opts.events; index++) {
    const timeMs = opts.baseTimeMs + index * 1000;
    const roll = random.next();
    let data: Record<string, unknown>;
    let type: string;
    let expect: Expectation = 'apply';
    let adminId: number | undefined;
    let set: Partial<AdminValues> = {};

    if (roll < (opts.unknownShare ?? 0.03)) {
      expect = 'admin_not_found';
      unknown += 1;
      type = random.pick(['admin.deactivated', 'admin.activated']);
      data = { admin_user_name: `ghost-${random.int(50)}` };
    } else if (roll < (opts.unknownShare ?? 0.03) + (opts.protectedShare ?? 0.02)) {
      expect = 'protected_admin';
      toProtected += 1;
      type = random.pick(['admin.deactivated', 'admin.renamed']);
      data = random.chance(0.5)
        ? { admin_user_name: opts.protectedAdmin.name }
        : { admin_user_id: opts.protectedAdmin.id };
      if (type === 'admin.renamed') data.new_admin_user_name = `taken-${index}`;
    } else {
      const admin = random.pick(admins);
      adminId = admin.id;
      data = admin.byName && random.chance(0.6) ? { admin_user_name: admin.name } : { admin_user_id: admin.id };
      ({ type, set } = randomChange(random, admin, index));
      Object.assign(data, changeData(type, set));
    }
    byType[type] = (byType[type] ?? 0) + 1;
    const event = cloudEvent({
      id: `${opts.idPrefix}-${index}`,
      source,
      type,
      time: new Date(timeMs).toISOString(),
      data,
    });
    events.push({
      index,
      event,
      body: JSON.stringify(event),
      groupId: messageGroupId(targetOf(data as { admin_user_id?: number; admin_user_name?: string })),
      key: idempotencyKey(source, event.id),
      expect,
      ...(adminId !== undefined && { adminId }),
      set,
      timeMs,
    });
  }

  const invalidBodies = Array.from({ length: Math.round(opts.events * (opts.invalidShare ?? 0.01)) }, (_, i) =>
    invalidBody(random, opts.baseTimeMs, `${opts.idPrefix}-bad-${i}`),
  );
  const deliveries = deliveryOrder(random, events, invalidBodies, opts);
  return {
    admins,
    events,
    invalidBodies,
    deliveries,
    figures: {
      events: events.length,
      deliveries: deliveries.length,
      duplicates: deliveries.filter((d) => d.duplicate).length,
      outOfOrder: deliveries.filter((d) => d.displaced).length,
      invalid: invalidBodies.length,
      toUnknownAdmins: unknown,
      toProtectedAdmin: toProtected,
      byType,
    },
  };
}

function randomChange(random: Random, admin: ChaosAdmin, index: number): { type: string; set: Partial<AdminValues> } {
  const roll = random.next();
  // Names are unique per event (`ren-<index>`), so a rename never collides with another admin's name.
  const newName = `ren-${index}`;
  const newDisplay = `Display ${admin.id} v${index}`;
  if (roll < 0.3) return { type: 'admin.deactivated', set: { active: false } };
  if (roll < 0.6) return { type: 'admin.activated', set: { active: true } };
  if (roll < 0.75 && !admin.byName) {
    return {
      type: 'admin.renamed',
      set: random.chance(0.5) ? { name: newName, displayName: newDisplay } : { name: newName },
    };
  }
  const set: Partial<AdminValues> = {};
  if (!admin.byName && random.chance(0.4)) set.name = newName;
  if (random.chance(0.6)) set.displayName = newDisplay;
  if (random.chance(0.5) || Object.keys(set).length === 0) set.active = random.chance(0.5);
  return { type: 'admin.updated', set };
}

function changeData(type: string, set: Partial<AdminValues>): Record<string, unknown> {
  if (type === 'admin.deactivated' || type === 'admin.activated') return {};
  return {
    ...(set.name !== undefined && { new_admin_user_name: set.name }),
    ...(set.displayName !== undefined && { admin_user_display_name: set.displayName }),
    ...(type === 'admin.updated' && set.active !== undefined && { admin_user_active: set.active }),
  };
}

/** Messages no producer should send, but a queue open to other producers can carry. */
function invalidBody(random: Random, baseTimeMs: number, id: string): string {
  const valid = cloudEvent({
    id,
    source: CHAOS_SOURCE,
    type: 'admin.deactivated',
    time: new Date(baseTimeMs).toISOString(),
    data: { admin_user_id: 100 },
  });
  switch (random.int(6)) {
    case 0:
      return 'not json at all';
    case 1:
      return JSON.stringify(valid).slice(0, 40);
    case 2:
      return JSON.stringify({ ...valid, type: 'admin.deleted' });
    case 3:
      return JSON.stringify({ ...valid, data: { admin_user_id: 100, admin_user_name: 'adm-000' } });
    case 4:
      return JSON.stringify({ ...valid, time: new Date(Date.now() + 3_600_000).toISOString() });
    default:
      return JSON.stringify({ ...valid, data: { admin_user_id: 100, surprise: true } });
  }
}

/**
 * Send order: the events in time order, except that `outOfOrderShare` of them arrive 1-40 places late (after
 * newer events), `duplicateShare` of them arrive a second time 1-200 places later, and the invalid messages are
 * scattered.
 */
function deliveryOrder(
  random: Random,
  events: readonly PlannedEvent[],
  invalidBodies: readonly string[],
  opts: PlanOptions,
): Delivery[] {
  const slots: { at: number; delivery: Delivery }[] = [];
  for (const e of events) {
    const displaced = random.chance(opts.outOfOrderShare ?? 0.1);
    const at = displaced ? e.index + random.between(1, 40) + 0.5 : e.index;
    slots.push({
      at,
      delivery: { body: e.body, groupId: e.groupId, eventIndex: e.index, duplicate: false, displaced },
    });
    if (random.chance(opts.duplicateShare ?? 0.2)) {
      slots.push({
        at: e.index + random.between(1, 200) + 0.25,
        delivery: { body: e.body, groupId: e.groupId, eventIndex: e.index, duplicate: true, displaced: false },
      });
    }
  }
  invalidBodies.forEach((body, i) => {
    slots.push({
      at: random.int(events.length) + 0.75,
      delivery: { body, groupId: `junk-${i}`, duplicate: false, displaced: false },
    });
  });
  return slots.sort((a, b) => a.at - b.at).map((s) => s.delivery);
}

/** The seed the simulator starts from. */
export function seedAdmins(plan: ChaosPlan): SeedAdmin[] {
  return plan.admins.map((a) => ({
    admin_user_id: a.id,
    admin_user_name: a.name,
    admin_user_display_name: a.displayName,
    admin_user_active: a.active,
  }));
}

/**
 * What every admin must look like at the end: per attribute, the value of the change with the latest `time`
 * among the changes that were to be applied (last writer wins; times never tie, see PlanOptions.baseTimeMs).
 * Events that ended in the dead-letter queue for a reason are left out (`excluded` keys).
 */
export function expectedState(plan: ChaosPlan, excluded: ReadonlySet<string> = new Set()): Map<number, AdminValues> {
  const state = new Map<number, AdminValues>(
    plan.admins.map((a) => [a.id, { active: a.active, name: a.name, displayName: a.displayName }]),
  );
  const applied = plan.events
    .filter((e) => e.expect === 'apply' && !excluded.has(e.key))
    .sort((a, b) => a.timeMs - b.timeMs);
  for (const e of applied) {
    const values = state.get(e.adminId ?? -1);
    if (values === undefined) continue;
    Object.assign(values, e.set);
  }
  return state;
}
