import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROTECTED_SET_TTL_MS, ProtectedGuard } from '../../../src/apply/protected-guard';
import { protectedAdmins } from '../../../src/events/protected-admins';
import { createLogger } from '../../../src/observability/logger';
import { setAdminUserInfo } from '../../../src/voximplant/admin-users';
import { type CallOptions, VoximplantClient } from '../../../src/voximplant/client';
import { credentialsFromValue } from '../../../src/voximplant/credentials';
import { VoximplantError } from '../../../src/voximplant/errors';
import { createSimulator, type Simulator } from '../../../tooling/sim/simulator';
import { fixedDeadline } from '../../support/voximplant';

/** The guard against the Voximplant simulator: real paging of GetAdminUsers, renames made by another API client. */
let sim: Simulator;
let voximplant: VoximplantClient;

beforeAll(async () => {
  sim = await createSimulator({ seed: 'demo' });
  const { apiUrl } = await sim.listen(0, '127.0.0.1');
  voximplant = new VoximplantClient({
    apiUrl,
    credentials: credentialsFromValue(sim.credentials()),
    logger: createLogger('test', 'silent'),
  });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

const opts = (over: Partial<CallOptions> = {}): CallOptions => ({ deadline: fixedDeadline(60_000), ...over });
const reads = () => sim.calls().filter((c) => c.method === 'GetAdminUsers').length;
const idOf = (name: string) => {
  const admin = sim.admins().find((a) => a.admin_user_name === name);
  if (admin === undefined) throw new Error(`no admin ${name}`);
  return admin.admin_user_id;
};

function guardAt(entries: string[]) {
  const clock = { now: 1_000_000 };
  const guard = new ProtectedGuard(protectedAdmins(entries), PROTECTED_SET_TTL_MS, () => clock.now);
  return { guard, clock };
}

/** A rename made outside the bridge (the control panel, another API client). */
async function renameOutside(id: number, name: string) {
  await setAdminUserInfo(voximplant, { adminUserId: id, newName: name }, opts());
}

describe('ProtectedGuard', () => {
  it('protects a listed id, and a known current name that matches, without a read', async () => {
    const { guard } = guardAt(['owner', '77']);
    expect(await guard.isProtected(voximplant, undefined, 77, undefined, opts())).toBe(true);
    expect(await guard.isProtected(voximplant, undefined, 9, 'OWNER\u200B', opts())).toBe(true);
    expect(await guard.isProtected(voximplant, undefined, 9, 'asmith', opts())).toBe(false);
    expect(reads()).toBe(0);
  });

  it('an id-only list never reads', async () => {
    const { guard } = guardAt(['1']);
    expect(await guard.isProtected(voximplant, undefined, idOf('asmith'), undefined, opts())).toBe(false);
    expect(reads()).toBe(0);
  });

  it('a change by id is checked against the admins whose current name matches, one read per TTL', async () => {
    const { guard, clock } = guardAt(['owner']);
    expect(await guard.isProtected(voximplant, undefined, idOf('owner'), undefined, opts())).toBe(true);
    expect(await guard.isProtected(voximplant, undefined, idOf('asmith'), undefined, opts())).toBe(false);
    expect(await guard.isProtected(voximplant, undefined, idOf('jdoe'), undefined, opts())).toBe(false);
    expect(reads()).toBe(1);
    clock.now += PROTECTED_SET_TTL_MS + 1;
    expect(await guard.isProtected(voximplant, undefined, idOf('jdoe'), undefined, opts())).toBe(false);
    expect(reads()).toBe(2);
  });

  it('an admin renamed outside the bridge onto a look-alike of a protected name is protected once the TTL passes', async () => {
    const { guard, clock } = guardAt(['owner', 'breakglass']);
    const asmith = idOf('asmith');
    expect(await guard.isProtected(voximplant, undefined, asmith, undefined, opts())).toBe(false);
    await renameOutside(asmith, 'Br\u0435akGlass');
    // The documented window: within the TTL the set read before the rename still holds.
    expect(await guard.isProtected(voximplant, undefined, asmith, undefined, opts())).toBe(false);
    clock.now += PROTECTED_SET_TTL_MS + 1;
    expect(await guard.isProtected(voximplant, undefined, asmith, undefined, opts())).toBe(true);
  });

  it('reads every page: a match on the second page of 100 is found', async () => {
    const { guard } = guardAt(['owner']);
    for (let i = 0; i < 120; i += 1) {
      sim.addAdmin({ admin_user_name: `user-${String(i).padStart(3, '0')}`, admin_user_display_name: `User ${i}` });
    }
    const disguised = sim.addAdmin({ admin_user_name: '\u043Ewner', admin_user_display_name: 'Look-alike' });
    expect(await guard.isProtected(voximplant, undefined, disguised.admin_user_id, undefined, opts())).toBe(true);
    expect(reads()).toBe(2);
  });

  it('fails closed: a failed read throws (the change is retried), and the next check reads again', async () => {
    const { guard } = guardAt(['owner']);
    sim.queueFault({ method: 'GetAdminUsers', httpStatus: 503, times: 1 });
    await expect(
      guard.isProtected(voximplant, undefined, idOf('asmith'), undefined, opts({ retry: false })),
    ).rejects.toBeInstanceOf(VoximplantError);
    expect(await guard.isProtected(voximplant, undefined, idOf('owner'), undefined, opts())).toBe(true);
    expect(reads()).toBe(2);
  });

  it('concurrent checks in one container share one read', async () => {
    const { guard } = guardAt(['owner']);
    const ids = ['owner', 'jdoe', 'asmith', 'bwong'].map(idOf);
    const answers = await Promise.all(ids.map((id) => guard.isProtected(voximplant, undefined, id, undefined, opts())));
    expect(answers).toEqual([true, false, false, false]);
    expect(reads()).toBe(1);
  });

  it('refuses from the change alone: a listed target, or a rename onto a protected name', () => {
    const { guard } = guardAt(['owner', 'breakglass', '1']);
    expect(guard.refusalOf({ target: { adminUserId: 1 }, set: { active: false } })?.code).toBe('protected_admin');
    expect(guard.refusalOf({ target: { adminUserName: ' Owner' }, set: { active: false } })?.code).toBe(
      'protected_admin',
    );
    for (const name of ['Owner', 'BreakGlass', 'breakglass', '\u043Ewner', 'owner\u200B', ' owner']) {
      const refusal = guard.refusalOf({ target: { adminUserName: 'asmith' }, set: { name } });
      expect(refusal, name).toMatchObject({ code: 'protected_name', field: 'new_admin_user_name' });
    }
    expect(guard.refusalOf({ target: { adminUserName: 'asmith' }, set: { name: 'alice.jones' } })).toBeUndefined();
  });
});
