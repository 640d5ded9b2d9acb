import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ApplyDeps, applyChange, PENDING_WAIT_MS } from '../../../src/apply/apply-change';
import type { RecordedOutcome } from '../../../src/apply/outcome';
import { ProtectedGuard } from '../../../src/apply/protected-guard';
import {
  type AdminAttributes,
  type AdminChange,
  type AdminTarget,
  changeFingerprint,
} from '../../../src/events/admin-change';
import { idempotencyKey } from '../../../src/events/idempotency-key';
import { protectedAdmins } from '../../../src/events/protected-admins';
import { createLogger } from '../../../src/observability/logger';
import { ReactivationPolicy } from '../../../src/ordering/reactivation-policy';
import { deadlineIn } from '../../../src/runtime/deadline';
import { createSimulator, type Simulator } from '../../../tooling/sim/simulator';
import { memoryApplyState } from '../../support/memory-state';
import { fastRetryPolicy, simulatorClient } from '../../support/simulator-client';

/**
 * applyChange, branch by branch, on the in-memory stores (held to the DynamoDB ones by
 * test/contract/state/state-stores.test.ts) and the Voximplant simulator in this process: every outcome, what it
 * leaves recorded, and what it sent to Voximplant.
 */
const HR = 'urn:hr:workday';
const OTHER = 'urn:hr:bamboo';
const T = Date.parse('2026-11-27T09:00:00Z');
/** 454: a permanent Voximplant error (src/voximplant/errors.ts classifies it so). */
const PERMANENT_CODE = 454;

let sim: Simulator;
let apiUrl: string;

beforeAll(async () => {
  sim = await createSimulator({ seed: [{ admin_user_name: 'ann' }, { admin_user_name: 'bob' }] });
  ({ apiUrl } = await sim.listen(0));
});
afterAll(async () => {
  await sim?.close();
});

const idOf = (name: string) => sim.admins().find((a) => a.admin_user_name === name)!.admin_user_id;
const adminNamed = (name: string) => sim.admins().find((a) => a.admin_user_name === name);
const writes = () => sim.calls().filter((c) => c.method === 'SetAdminUserInfo');

let seq = 0;
function change(
  target: AdminTarget,
  set: AdminAttributes,
  opts: { timeMs?: number; source?: string; id?: string; type?: string } = {},
): AdminChange {
  const eventId = opts.id ?? `evt-${++seq}`;
  const source = opts.source ?? HR;
  const type = opts.type ?? 'admin.updated';
  const timeMs = opts.timeMs ?? T;
  const time = new Date(timeMs).toISOString();
  return {
    idempotencyKey: idempotencyKey(source, eventId),
    fingerprint: changeFingerprint(type, time, target, set),
    eventId,
    source,
    type,
    time,
    timeMs,
    target,
    set,
  };
}

let clock: number;
let state: ReturnType<typeof memoryApplyState>;
let deps: ApplyDeps;

function makeDeps(overrides: Partial<ApplyDeps> = {}): ApplyDeps {
  const logger = createLogger('apply-change-test', 'silent');
  return {
    ...state,
    voximplant: simulatorClient(sim, apiUrl, logger, fastRetryPolicy(3)),
    protectedGuard: new ProtectedGuard(protectedAdmins(['owner'])),
    reactivation: new ReactivationPolicy([]),
    logger,
    dryRun: false,
    now: () => clock,
    sleep: async () => undefined,
    ...overrides,
  };
}

beforeEach(() => {
  sim.reset();
  clock = Date.now();
  state = memoryApplyState(() => clock);
  deps = makeDeps();
});

const apply = (c: AdminChange, d: ApplyDeps = deps, hooks = {}) => applyChange(c, d, deadlineIn(20_000), hooks);
const recorded = (c: AdminChange) => state.idempotency.get(c.idempotencyKey);
const versionsOf = (name: string) => state.ordering.state({ adminUserId: idOf(name) });

describe('applyChange', () => {
  it('applies a deactivation by name: one SetAdminUserInfo by id, versions and outcome recorded, lease given back', async () => {
    const c = change({ adminUserName: 'ann' }, { active: false });
    const result = await apply(c);
    expect(result).toEqual({
      kind: 'done',
      duplicate: false,
      outcome: expect.objectContaining({ status: 'applied', admin_user_id: idOf('ann'), applied: ['active'] }),
    });
    expect(adminNamed('ann')?.admin_user_active).toBe(false);
    expect(writes()).toHaveLength(1);
    expect(writes()[0]?.params).toEqual({ required_admin_user_id: String(idOf('ann')), admin_user_active: 'false' });
    expect(await recorded(c)).toMatchObject({ status: 'completed', outcome: { status: 'applied' } });
    expect(await versionsOf('ann')).toEqual({
      applied: { active: { timeMs: T, eventId: c.eventId, source: HR, value: false } },
      pending: {},
    });
    expect(state.changes.leases.size).toBe(0);
    expect(await state.names.get(undefined, 'ann')).toBe(idOf('ann'));
  });

  it('duplicate: the same change again answers the recorded outcome and calls nothing', async () => {
    const c = change({ adminUserName: 'ann' }, { active: false });
    const first = await apply(c);
    const callsBefore = sim.calls().length;
    const again = await apply(c);
    expect(again).toEqual({
      kind: 'done',
      duplicate: true,
      outcome: first.kind === 'done' ? first.outcome : undefined,
    });
    expect(sim.calls()).toHaveLength(callsBefore);
  });

  it('in progress: another invocation holds the key; retried after its lease, nothing called', async () => {
    const c = change({ adminUserName: 'ann' }, { active: false });
    await state.idempotency.begin(c.idempotencyKey, c.fingerprint, 40_000);
    clock += 10_000;
    expect(await apply(c)).toEqual({
      kind: 'retry',
      code: 'in_progress',
      message: expect.any(String),
      retryAfterMs: 30_000,
    });
    expect(sim.calls()).toHaveLength(0);
    expect(await recorded(c)).toMatchObject({ status: 'in_progress' });
  });

  it('payload mismatch: another payload under a used key is rejected, the first record is untouched', async () => {
    const first = change({ adminUserName: 'ann' }, { active: false }, { id: 'same-id' });
    await apply(first);
    const forged = change({ adminUserName: 'ann' }, { active: true }, { id: 'same-id' });
    const seen: RecordedOutcome[] = [];
    const result = await apply(forged, deps, { beforeRecord: async (o: RecordedOutcome) => void seen.push(o) });
    expect(result).toMatchObject({
      kind: 'done',
      duplicate: false,
      outcome: { status: 'rejected', error_code: 'payload_mismatch' },
    });
    expect(seen).toEqual([expect.objectContaining({ error_code: 'payload_mismatch' })]);
    expect(await recorded(first)).toMatchObject({ status: 'completed', fingerprint: first.fingerprint });
    expect(writes()).toHaveLength(1);
    expect(adminNamed('ann')?.admin_user_active).toBe(false);
  });

  it('not found: an exact name that no admin has is rejected and not recorded (a redrive may try again)', async () => {
    // "an" is a substring of "ann": GetAdminUsers matches it, the exact match does not.
    const c = change({ adminUserName: 'an' }, { active: false });
    expect(await apply(c)).toMatchObject({
      kind: 'done',
      outcome: { status: 'rejected', error_code: 'admin_not_found' },
    });
    expect(await recorded(c)).toBeUndefined();
    expect(writes()).toHaveLength(0);
  });

  it('protected target: by name from the change alone, by id after reading the protected names', async () => {
    const byName = change({ adminUserName: 'owner' }, { active: false });
    expect(await apply(byName)).toMatchObject({ outcome: { status: 'rejected', error_code: 'protected_admin' } });
    expect(sim.calls()).toHaveLength(0);
    const byId = change({ adminUserId: idOf('owner') }, { active: false });
    expect(await apply(byId)).toMatchObject({ outcome: { status: 'rejected', error_code: 'protected_admin' } });
    expect(writes()).toHaveLength(0);
    expect(adminNamed('owner')?.admin_user_active).toBe(true);
    expect(await recorded(byName)).toBeUndefined();
    expect(await recorded(byId)).toBeUndefined();
  });

  it('protected name: a rename onto a name that matches a protected one is refused, whatever its case and surrounding space', async () => {
    const c = change({ adminUserName: 'bob' }, { name: ' OWNER ' });
    expect(await apply(c)).toMatchObject({ outcome: { status: 'rejected', error_code: 'protected_name' } });
    expect(writes()).toHaveLength(0);
    expect(adminNamed('bob')).toBeDefined();
  });

  it('stale: an older change to an attribute already changed later is skipped and recorded as stale', async () => {
    await apply(change({ adminUserName: 'ann' }, { active: false }, { timeMs: T + 60_000 }));
    const older = change({ adminUserName: 'ann' }, { active: true, displayName: 'Ann A.' }, { timeMs: T });
    const result = await apply(older);
    expect(result).toMatchObject({
      kind: 'done',
      outcome: { status: 'applied', applied: ['displayName'], stale: ['active'] },
    });
    expect(adminNamed('ann')).toMatchObject({ admin_user_active: false, admin_user_display_name: 'Ann A.' });
    const allStale = change({ adminUserName: 'ann' }, { active: true }, { timeMs: T - 1 });
    expect(await apply(allStale)).toMatchObject({ outcome: { status: 'stale', stale: ['active'], applied: [] } });
    expect(await recorded(allStale)).toMatchObject({ status: 'completed', outcome: { status: 'stale' } });
    expect(writes()).toHaveLength(2);
  });

  it('the tie rule: at equal times a deactivation wins, whichever arrives first', async () => {
    await apply(change({ adminUserName: 'ann' }, { active: false }, { timeMs: T }));
    expect(await apply(change({ adminUserName: 'ann' }, { active: true }, { timeMs: T }))).toMatchObject({
      outcome: { status: 'stale' },
    });
    expect(adminNamed('ann')?.admin_user_active).toBe(false);

    await apply(change({ adminUserName: 'bob' }, { active: true }, { timeMs: T }));
    expect(await apply(change({ adminUserName: 'bob' }, { active: false }, { timeMs: T }))).toMatchObject({
      outcome: { status: 'applied', applied: ['active'] },
    });
    expect(adminNamed('bob')?.admin_user_active).toBe(false);
  });

  it('re-activation refused: another source may not undo a deactivation unless REACTIVATION_SOURCES lists it', async () => {
    await apply(change({ adminUserName: 'ann' }, { active: false }, { timeMs: T }));
    const warn = vi.spyOn(deps.logger, 'warn');
    const other = change({ adminUserName: 'ann' }, { active: true }, { timeMs: T + 60_000, source: OTHER });
    expect(await apply(other)).toMatchObject({
      outcome: { status: 'rejected', error_code: 'reactivation_not_allowed', admin_user_id: idOf('ann') },
    });
    expect(warn).toHaveBeenCalledWith('re-activation refused', expect.objectContaining({ deactivated_by: HR }));
    expect(adminNamed('ann')?.admin_user_active).toBe(false);
    expect(await recorded(other)).toBeUndefined();
    expect((await versionsOf('ann')).applied.active?.source).toBe(HR);

    const listed = makeDeps({ reactivation: new ReactivationPolicy(['urn:hr:*']) });
    expect(await apply(other, listed)).toMatchObject({ outcome: { status: 'applied', applied: ['active'] } });
    expect(adminNamed('ann')?.admin_user_active).toBe(true);
  });

  it('dry run: decides and logs the call it would make, writes nothing to Voximplant or the state', async () => {
    const dry = makeDeps({ dryRun: true });
    const info = vi.spyOn(dry.logger, 'info');
    const c = change({ adminUserName: 'ann' }, { active: false, password: 'Secret-Passw0rd-1' });
    expect(await apply(c, dry)).toMatchObject({
      kind: 'done',
      outcome: { status: 'applied', applied: ['active', 'password'] },
    });
    expect(writes()).toHaveLength(0);
    expect(adminNamed('ann')?.admin_user_active).toBe(true);
    expect(await recorded(c)).toBeUndefined();
    expect(await versionsOf('ann')).toEqual({ applied: {}, pending: {} });
    expect(state.changes.leases.size).toBe(0);
    expect(info).toHaveBeenCalledWith(
      'dry run: would call SetAdminUserInfo',
      expect.objectContaining({ params: expect.objectContaining({ new_admin_user_password: '[redacted]' }) }),
    );
    expect(JSON.stringify(info.mock.calls)).not.toContain('Secret-Passw0rd-1');
  });

  it('a permanent read failure fails the change now, with Voximplant’s code, and leaves the key open', async () => {
    sim.queueFault({ method: 'GetAdminUsers', error: { code: PERMANENT_CODE } });
    const c = change({ adminUserName: 'ann' }, { active: false });
    expect(await apply(c)).toMatchObject({
      kind: 'done',
      outcome: { status: 'failed', error_code: String(PERMANENT_CODE) },
    });
    expect(writes()).toHaveLength(0);
    expect(await recorded(c)).toBeUndefined();
  });

  it('a permanent write failure fails the change and leaves no ordering trace (no version, no pending mark)', async () => {
    sim.queueFault({ method: 'SetAdminUserInfo', error: { code: PERMANENT_CODE } });
    const c = change({ adminUserName: 'ann' }, { active: false });
    expect(await apply(c)).toMatchObject({
      kind: 'done',
      outcome: { status: 'failed', error_code: String(PERMANENT_CODE), admin_user_id: idOf('ann') },
    });
    expect(adminNamed('ann')?.admin_user_active).toBe(true);
    expect(await versionsOf('ann')).toEqual({ applied: {}, pending: {} });
    expect(await recorded(c)).toBeUndefined();
    expect(state.changes.leases.size).toBe(0);
    // So an older activation is not made stale by a write that never happened.
    expect(await apply(change({ adminUserName: 'ann' }, { active: true }, { timeMs: T - 1 }))).toMatchObject({
      outcome: { status: 'applied' },
    });
  });

  it('a failing beforeRecord hook records nothing and retries; the redelivery then applies and records', async () => {
    const c = change({ adminUserName: 'ann' }, { active: false });
    const failing = { beforeRecord: async () => Promise.reject(new Error('dead-letter queue unreachable')) };
    expect(await apply(c, deps, failing)).toEqual({
      kind: 'retry',
      code: 'internal',
      message: 'Error: dead-letter queue unreachable',
    });
    expect(await recorded(c)).toBeUndefined();
    expect(state.changes.leases.size).toBe(0);
    expect(await apply(c)).toMatchObject({ kind: 'done', duplicate: false, outcome: { status: 'applied' } });
    expect(await recorded(c)).toMatchObject({ status: 'completed' });
  });

  it('a failing beforeRecord hook on a refusal records nothing either', async () => {
    const c = change({ adminUserName: 'an' }, { active: false });
    const failing = { beforeRecord: async () => Promise.reject(new Error('no dead letter')) };
    expect(await apply(c, deps, failing)).toMatchObject({ kind: 'retry' });
    expect(await recorded(c)).toBeUndefined();
  });

  it('ordering pending: an older change waits for a newer one whose outcome is unknown, until the mark is old', async () => {
    const admin = { adminUserId: idOf('ann') };
    const newer = change({ adminUserName: 'ann' }, { active: false }, { timeMs: T + 60_000 });
    await state.ordering.markPending(admin, ['active'], newer, clock);
    const older = change({ adminUserName: 'ann' }, { active: true }, { timeMs: T });
    expect(await apply(older)).toEqual({
      kind: 'retry',
      code: 'ordering_pending',
      message: expect.any(String),
      retryAfterMs: 5_000,
    });
    expect(writes()).toHaveLength(0);
    expect(await recorded(older)).toBeUndefined();
    expect(state.changes.leases.size).toBe(0);
    // A mark that does not make the change stale does not hold it back.
    const later = change({ adminUserName: 'ann' }, { displayName: 'Ann' }, { timeMs: T });
    expect(await apply(later)).toMatchObject({ outcome: { status: 'applied' } });

    clock += PENDING_WAIT_MS + 1;
    expect(await apply(older)).toMatchObject({ outcome: { status: 'applied', applied: ['active'] } });
  });
});
