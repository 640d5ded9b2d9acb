import { describe, expect, it } from 'vitest';
import { auditHistory } from '../../../src/audit/audit-history';
import { DynamoOrderingStore } from '../../../src/state/ordering-store';
import { cloudEvent, minutesAgo, uniqueEventId } from '../../support/cloud-event';
import { CHILD_ACCOUNT, useReconcileWorld } from './reconcile-world';

const { world, table, fresh, runWorker, runReconcile, admin, setByHand, writes } = useReconcileWorld();

function event(type: string, data: Record<string, unknown>, ago: number, source = 'urn:test:hr') {
  return cloudEvent({ id: uniqueEventId(), source, type, time: minutesAgo(ago), data });
}

async function deactivate(name: string, opts: { accountId?: number; ago?: number } = {}) {
  const data = { admin_user_name: name, ...(opts.accountId !== undefined && { account_id: opts.accountId }) };
  await runWorker([
    { body: event('admin.deactivated', data, opts.ago ?? 10), groupId: `${opts.accountId ?? 'main'}/name:${name}` },
  ]);
}

describe('reconcile bundle: drift between Voximplant and what the bridge last applied', () => {
  it('repairs a hand re-enable as the recorded deactivation, and audits drift and repair', async () => {
    await fresh();
    await deactivate('jdoe');
    const id = admin('jdoe').admin_user_id;
    await setByHand(id, { active: true });
    const before = world.sim.calls().length;

    const { result, logs } = await runReconcile();

    expect(admin('jdoe').admin_user_active).toBe(false);
    expect(result).toMatchObject({ mode: 'repair', drift_found: 1, drift_repaired: 1, complete: true, failures: [] });
    expect(result.drift).toEqual([
      expect.objectContaining({
        account: 'main',
        admin_user_id: id,
        admin_user_name: 'jdoe',
        attributes: [{ attribute: 'active', desired: false, live: true }],
        source: 'urn:test:hr',
        action: 'repaired',
      }),
    ]);
    expect(writes(before).map((c) => c.params)).toEqual([
      { required_admin_user_id: String(id), admin_user_active: 'false' },
    ]);
    expect(logs).toContain('"message":"drift found"');
    // The ordering provenance stays the original deactivation's: the same source and event id.
    const versions = await new DynamoOrderingStore(table.doc, world.env.STATE_TABLE!).versions({ adminUserId: id });
    expect(versions.active).toMatchObject({ value: false, source: 'urn:test:hr', eventId: result.drift[0]?.event_id });
    const history = await auditHistory(table.doc, world.env.STATE_TABLE!, 'main', String(id));
    expect(history.entries.map((e) => [e.status, e.source])).toEqual([
      ['applied', 'urn:test:hr'],
      ['drift', 'urn:vox-admin-bridge:reconcile'],
      ['repaired', 'urn:vox-admin-bridge:reconcile'],
    ]);
    expect(history.entries[2]).toMatchObject({ original_source: 'urn:test:hr', run_id: result.run_id });

    // Nothing left to do on the next run.
    const again = await runReconcile();
    expect(again.result).toMatchObject({ drift_found: 0, drift_repaired: 0 });
  });

  it('only reports the drift in report mode: nothing is written', async () => {
    await fresh();
    await deactivate('jdoe');
    const id = admin('jdoe').admin_user_id;
    await setByHand(id, { active: true });
    const before = world.sim.calls().length;

    const { result } = await runReconcile({ RECONCILE_MODE: 'report' });

    expect(result).toMatchObject({ mode: 'report', drift_found: 1, drift_repaired: 0 });
    expect(result.drift[0]?.action).toBe('reported');
    expect(writes(before)).toEqual([]);
    expect(admin('jdoe').admin_user_active).toBe(true);
  });

  it('does not undo a newer legitimate activation', async () => {
    await fresh();
    await deactivate('jdoe', { ago: 20 });
    await runWorker([{ body: event('admin.activated', { admin_user_name: 'jdoe' }, 5), groupId: 'main/name:jdoe' }]);
    const before = world.sim.calls().length;

    const { result } = await runReconcile();

    expect(result.drift_found).toBe(0);
    expect(writes(before)).toEqual([]);
    expect(admin('jdoe').admin_user_active).toBe(true);
  });

  it('never writes a protected admin or an admin the bridge never changed, and counts them', async () => {
    await fresh();
    await deactivate('jdoe');
    const owner = admin('owner');
    // A version for the owner as if it had been changed before it was protected; then it is changed by hand.
    await new DynamoOrderingStore(table.doc, world.env.STATE_TABLE!).record(
      { adminUserId: owner.admin_user_id },
      ['active'],
      {
        timeMs: Date.now() - 60_000,
        eventId: 'evt-before-protection',
        source: 'urn:test:hr',
        set: { active: true },
      },
    );
    await setByHand(owner.admin_user_id, { active: false });
    await setByHand(admin('asmith').admin_user_id, { active: false });
    const before = world.sim.calls().length;

    const { result } = await runReconcile();

    expect(writes(before)).toEqual([]);
    expect(result).toMatchObject({ drift_found: 0, protected: 1, managed: 2, checked: 1 });
    // 5 demo admins + 130 bulk admins, less jdoe (managed) and the owner (protected).
    expect(result.unmanaged).toBe(world.sim.admins().length - 2);
    expect(admin('owner').admin_user_active).toBe(false);
    expect(admin('asmith').admin_user_active).toBe(false);
  });

  it('checks child accounts and pages past the first 100 admins', async () => {
    await fresh();
    await deactivate('bulk125');
    await deactivate('cdoe', { accountId: CHILD_ACCOUNT });
    await setByHand(admin('bulk125').admin_user_id, { active: true });
    await setByHand(admin('cdoe', CHILD_ACCOUNT).admin_user_id, { active: true }, CHILD_ACCOUNT);

    const { result } = await runReconcile();

    expect(result).toMatchObject({ accounts: 2, drift_found: 2, drift_repaired: 2, complete: true });
    expect(result.drift.map((d) => [d.account, d.admin_user_name, d.action]).sort()).toEqual([
      [String(CHILD_ACCOUNT), 'cdoe', 'repaired'],
      ['main', 'bulk125', 'repaired'],
    ]);
    expect(admin('bulk125').admin_user_active).toBe(false);
    expect(admin('cdoe', CHILD_ACCOUNT).admin_user_active).toBe(false);
    const pages = world.sim.calls().filter((c) => c.method === 'GetAdminUsers' && c.params.offset === '100');
    expect(pages.length).toBeGreaterThan(0);
  });

  it('ends classified during a Voximplant outage, writes nothing, and repairs on the next run', async () => {
    await fresh();
    await deactivate('jdoe');
    await setByHand(admin('jdoe').admin_user_id, { active: true });
    world.sim.queueFault({ method: 'GetAdminUsers', httpStatus: 503, body: '<html>busy</html>', times: 10_000 });
    const before = world.sim.calls().length;

    const { result, logs } = await runReconcile({}, 9_000);

    expect(result.complete).toBe(false);
    expect(result.failures).toEqual([expect.objectContaining({ account: 'main' })]);
    expect(result.drift_found).toBe(0);
    expect(writes(before)).toEqual([]);
    expect(admin('jdoe').admin_user_active).toBe(true);
    expect(logs).toContain('"message":"reconcile failed"');

    // The outage ends (the simulator's reset clears its faults and restores the seed, where jdoe is active: the
    // drift is still there) and the next scheduled run repairs it.
    world.sim.reset();
    const next = await runReconcile();
    expect(next.result).toMatchObject({ drift_found: 1, drift_repaired: 1, complete: true });
    expect(admin('jdoe').admin_user_active).toBe(false);
  });
});
