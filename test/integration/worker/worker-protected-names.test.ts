import { describe, expect, it } from 'vitest';
import { auditLines, useWorkerWorld, workerEvent } from '../../support/worker-world';

/**
 * Protected names through the built worker bundle: no rename onto one, in any disguise, and an admin that bears a
 * look-alike of one (named so outside the bridge) is protected even when the change names it by id.
 */
const { world, runWorker, drainDeadLetters, fresh } = useWorkerWorld({ PROTECTED_ADMIN_USERS: 'owner,breakglass' });

function admin(name: string) {
  const found = world.sim.admins().find((a) => a.admin_user_name === name);
  if (!found) throw new Error(`no admin ${name} in the simulator`);
  return found;
}

const setCalls = () => world.sim.calls().filter((c) => c.method === 'SetAdminUserInfo' && c.error_code === undefined);

describe('worker bundle: protected names', () => {
  it('dead-letters renames onto a protected name (protected_name), and the admin can still be offboarded', async () => {
    await fresh();
    const asmith = admin('asmith').admin_user_id;
    const renames = [
      workerEvent('admin.renamed', { admin_user_name: 'asmith', new_admin_user_name: 'Owner' }),
      workerEvent('admin.renamed', { admin_user_id: asmith, new_admin_user_name: 'BreakGlass' }),
      workerEvent('admin.renamed', { admin_user_id: asmith, new_admin_user_name: 'breakglass' }),
      workerEvent('admin.updated', { admin_user_id: asmith, new_admin_user_name: '\u043Ewner\u200B' }),
    ];
    const { results, stdout } = await runWorker(
      renames.map((body, i) => [{ body, groupId: i === 0 ? 'main/name:asmith' : `main/id:${asmith}` }]),
    );

    expect(results.every((r) => r.batchItemFailures.length === 0)).toBe(true);
    expect(setCalls()).toEqual([]);
    expect(admin('asmith').admin_user_active).toBe(true);
    expect(auditLines(stdout).map((l) => [l.outcome, l.error_code])).toEqual(
      renames.map(() => ['rejected', 'protected_name']),
    );
    const letters = await drainDeadLetters();
    expect(letters.map((l) => l.attributes.error_code).sort()).toEqual(renames.map(() => 'protected_name'));
    expect(letters.map((l) => l.attributes.event_id).sort()).toEqual(renames.map((e) => e.id).sort());

    const offboard = workerEvent('admin.deactivated', { admin_user_name: 'asmith' }, 1);
    await runWorker([[{ body: offboard, groupId: 'main/name:asmith' }]]);
    expect(admin('asmith').admin_user_active).toBe(false);
  });

  it('protects an admin that bears a look-alike of a protected name, also when the change names it by id', async () => {
    await fresh();
    // Named so outside the bridge (the control panel): Cyrillic о (U+043E) and a zero-width space.
    const lookAlike = world.sim.addAdmin({ admin_user_name: '\u043Ewner\u200B', admin_user_display_name: 'Owner?' });
    const byId = workerEvent('admin.deactivated', { admin_user_id: lookAlike.admin_user_id });
    const other = workerEvent('admin.deactivated', { admin_user_name: 'jdoe' });
    await runWorker([
      [{ body: byId, groupId: `main/id:${lookAlike.admin_user_id}` }],
      [{ body: other, groupId: 'main/name:jdoe' }],
    ]);

    const letters = await drainDeadLetters();
    expect(letters.map((l) => [l.attributes.event_id, l.attributes.error_code])).toEqual([
      [byId.id, 'protected_admin'],
    ]);
    expect(world.sim.admins().find((a) => a.admin_user_id === lookAlike.admin_user_id)?.admin_user_active).toBe(true);
    expect(admin('jdoe').admin_user_active).toBe(false);
  });
});
