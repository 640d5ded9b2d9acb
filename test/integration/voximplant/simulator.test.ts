import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getAccountInfo } from '../../../src/voximplant/account';
import {
  addAdminUser,
  delAdminUser,
  findAdminByExactName,
  getAdminById,
  getAdminUsers,
  setAdminUserInfo,
} from '../../../src/voximplant/admin-users';
import { type AttemptInfo, type CallOptions, VoximplantClient } from '../../../src/voximplant/client';
import {
  type CredentialsSource,
  credentialsFromValue,
  type VoximplantCredentials,
} from '../../../src/voximplant/credentials';
import { createKey, deleteKey, getKeyRoles, getKeys } from '../../../src/voximplant/keys';
import { DEFAULT_RETRY_POLICY } from '../../../src/voximplant/retry';
import { createSimulator, type Simulator } from '../../../tooling/sim/simulator';
import { fixedDeadline, recordingSleep } from '../../support/voximplant';

/** The client against the Voximplant simulator (tooling/sim): real HTTP, real JWT checks, real error codes. */
const CHILD = 2_000_002;
let sim: Simulator;
let apiUrl: string;

beforeAll(async () => {
  sim = await createSimulator({ seed: 'demo', childAccountIds: [CHILD] });
  ({ apiUrl } = await sim.listen(0, '127.0.0.1'));
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

const opts = (over: Partial<CallOptions> = {}): CallOptions => ({ deadline: fixedDeadline(120_000), ...over });

function client(credentials: CredentialsSource = credentialsFromValue(sim.credentials()), attemptTimeoutMs = 5_000) {
  const { sleep, delays } = recordingSleep();
  const attempts: AttemptInfo[] = [];
  const c = new VoximplantClient({
    apiUrl,
    credentials,
    sleep,
    random: () => 0.5,
    attemptTimeoutMs,
    policy: { ...DEFAULT_RETRY_POLICY, minAttemptMs: 10 },
    onAttempt: (a) => attempts.push(a),
  });
  return { c, delays, attempts };
}

const byName = (name: string) => sim.admins().find((a) => a.admin_user_name === name);
const setCalls = () => sim.calls().filter((call) => call.method === 'SetAdminUserInfo');

describe('admin users against the simulator', () => {
  it('findAdminByExactName: jdoe is not jdoe2 (GetAdminUsers filters by substring)', async () => {
    const { c } = client();
    const substring = await getAdminUsers(c, { nameContains: 'jdoe' }, opts());
    expect(substring.admins.map((a) => a.admin_user_name).sort()).toEqual(['jdoe', 'jdoe2']);
    expect((await findAdminByExactName(c, 'jdoe', opts()))?.admin_user_id).toBe(byName('jdoe')?.admin_user_id);
    expect((await findAdminByExactName(c, 'jdoe2', opts()))?.admin_user_id).toBe(byName('jdoe2')?.admin_user_id);
    expect(await findAdminByExactName(c, 'jdo', opts())).toBeUndefined();
  });

  it('pages through many substring matches', async () => {
    for (let i = 0; i < 130; i += 1) sim.addAdmin({ admin_user_name: `ops${String(i).padStart(3, '0')}` });
    sim.addAdmin({ admin_user_name: 'ops' });
    const { c } = client();
    expect((await findAdminByExactName(c, 'ops', opts()))?.admin_user_name).toBe('ops');
    expect((await findAdminByExactName(c, 'ops129', opts()))?.admin_user_name).toBe('ops129');
  });

  it('deactivates by id with a form body, an Idempotency-Key header and nothing in the query string', async () => {
    const { c } = client();
    const id = byName('asmith')?.admin_user_id ?? 0;
    const out = await setAdminUserInfo(c, { adminUserId: id, active: false }, opts({ idempotencyKey: 'f'.repeat(64) }));
    expect(out).toMatchObject({ result: 1, verified: false, attempts: 1 });
    expect(byName('asmith')?.admin_user_active).toBe(false);
    const [call] = setCalls();
    expect(call).toMatchObject({
      auth: 'jwt',
      encoding: 'urlencoded',
      query_keys: [],
      idempotency_key: 'f'.repeat(64),
      params: { required_admin_user_id: String(id), admin_user_active: 'false' },
    });
  });

  it('a 340 then success: retried after a throttled backoff', async () => {
    sim.queueFault({ method: 'SetAdminUserInfo', error: { code: 340 } });
    const { c, delays, attempts } = client();
    const id = byName('bwong')?.admin_user_id ?? 0;
    const out = await setAdminUserInfo(c, { adminUserId: id, displayName: 'B. Wong' }, opts());
    expect(out.attempts).toBe(2);
    expect(delays).toEqual([500]);
    expect(attempts.map((a) => a.outcome)).toEqual(['voximplant_340', 'ok']);
    expect(setCalls().map((call) => call.error_code)).toEqual([340, undefined]);
    expect(byName('bwong')?.admin_user_display_name).toBe('B. Wong');
  });

  it('a 416 waits the seconds its message names', async () => {
    sim.queueFault({ method: 'SetAdminUserInfo', error: { code: 416 } }); // "Repeat the request after 2 seconds"
    const { c, delays } = client();
    const id = byName('jdoe')?.admin_user_id ?? 0;
    await setAdminUserInfo(c, { adminUserId: id, active: false }, opts());
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(2000);
    expect(delays[0]).toBeLessThanOrEqual(2000 + DEFAULT_RETRY_POLICY.retryAfterJitterMs);
  });

  it('a dropped connection after the change applied: re-read, not resent', async () => {
    sim.queueFault({ method: 'SetAdminUserInfo', drop: 'after' });
    const { c } = client();
    const id = byName('jdoe2')?.admin_user_id ?? 0;
    const out = await setAdminUserInfo(c, { adminUserId: id, active: false }, opts());
    expect(out).toMatchObject({ verified: true, result: 1, attempts: 1 });
    expect(setCalls()).toHaveLength(1);
    expect(byName('jdoe2')?.admin_user_active).toBe(false);
  });

  it('a dropped connection before anything applied: re-read, then resent', async () => {
    sim.queueFault({ method: 'SetAdminUserInfo', drop: 'before' });
    const { c } = client();
    const id = byName('jdoe2')?.admin_user_id ?? 0;
    const out = await setAdminUserInfo(c, { adminUserId: id, active: false }, opts());
    expect(out).toMatchObject({ verified: false, attempts: 2 });
    expect(setCalls()).toHaveLength(2);
    expect(byName('jdoe2')?.admin_user_active).toBe(false);
  });

  it('a 484 after the change applied: verified by a re-read', async () => {
    sim.queueFault({ method: 'SetAdminUserInfo', error: { code: 484 } });
    const { c } = client();
    const id = byName('asmith')?.admin_user_id ?? 0;
    const out = await setAdminUserInfo(c, { adminUserId: id, newName: 'asmith-renamed' }, opts());
    expect(out).toMatchObject({ verified: true, attempts: 1 });
    expect(byName('asmith-renamed')?.admin_user_id).toBe(id);
  });

  it('a slow answer beyond the attempt timeout: ambiguous, verified by a re-read', async () => {
    sim.queueFault({ method: 'SetAdminUserInfo', delayMs: 2_000 });
    const { c, attempts } = client(undefined, 200);
    const id = byName('bwong')?.admin_user_id ?? 0;
    const out = await setAdminUserInfo(c, { adminUserId: id, active: false }, opts());
    expect(out).toMatchObject({ verified: true });
    // the re-read is a GetAdminUsers attempt of its own
    expect(attempts.map((a) => `${a.method} ${a.outcome}`)).toEqual(['GetAdminUsers ok', 'SetAdminUserInfo verified']);
    expect(setCalls()).toHaveLength(1);
    expect(byName('bwong')?.admin_user_active).toBe(false);
  });

  it('an unknown id is permanent, with the Voximplant code', async () => {
    const { c } = client();
    await expect(setAdminUserInfo(c, { adminUserId: 987_654, active: false }, opts())).rejects.toMatchObject({
      code: 'voximplant_285',
      kind: 'permanent',
      attempts: 1,
    });
    expect(await getAdminById(c, 987_654, opts())).toBeUndefined();
  });

  it('adds and deletes an admin', async () => {
    const { c } = client();
    const { adminUserId } = await addAdminUser(
      c,
      { name: 'contractor', displayName: 'C', password: 'Passw0rd!x' },
      opts(),
    );
    expect(byName('contractor')?.admin_user_id).toBe(adminUserId);
    await delAdminUser(c, adminUserId, opts());
    expect(byName('contractor')).toBeUndefined();
  });

  it('acts on a child account through the JWT iss', async () => {
    const child = sim.addAdmin({ admin_user_name: 'child-admin', account_id: CHILD });
    const { c } = client();
    const found = await findAdminByExactName(c, 'child-admin', opts({ accountId: CHILD }));
    expect(found?.admin_user_id).toBe(child.admin_user_id);
    expect(await findAdminByExactName(c, 'child-admin', opts())).toBeUndefined();
    await setAdminUserInfo(c, { adminUserId: child.admin_user_id, active: false }, opts({ accountId: CHILD }));
    expect(sim.admins(CHILD).find((a) => a.admin_user_name === 'child-admin')?.admin_user_active).toBe(false);
  });
});

describe('account and keys against the simulator', () => {
  it('GetAccountInfo proves the key works', async () => {
    const { c } = client();
    const info = await getAccountInfo(c, opts());
    expect(info.account.account_id).toBe(sim.accountId);
    expect(info.account.access_entries).toContain('SetAdminUserInfo');
    expect(info.serverDate).toBeDefined();
  });

  it('creates a key that works, lists it with its roles, and deletes it', async () => {
    const { c } = client();
    const created = await createKey(c, { keyName: 'bridge-test', roleNames: ['Admin users manager'] }, opts());
    expect(created.private_key).toContain('PRIVATE KEY');
    const keys = await getKeys(c, opts(), { withRoles: true });
    expect(keys.find((k) => k.keyId === created.key_id)?.keyName).toBe('bridge-test');
    expect((await getKeyRoles(c, created.key_id, opts())).map((r) => r.roleName)).toEqual(['Admin users manager']);
    const { c: withNewKey } = client(credentialsFromValue(created));
    expect((await getAccountInfo(withNewKey, opts())).account.account_id).toBe(sim.accountId);
    await deleteKey(c, created.key_id, opts());
    expect((await getKeys(c, opts())).some((k) => k.keyId === created.key_id)).toBe(false);
  });

  it('a deleted key: 433, the credentials are refreshed to the new key, and the call succeeds', async () => {
    const { c: owner } = client();
    const oldKey = await createKey(owner, { keyName: 'gen-1', roleNames: ['Admin users manager'] }, opts());
    // The secret as the bridge caches it, and as rotation has since rewritten it.
    let secretValue: VoximplantCredentials = oldKey;
    let cached: VoximplantCredentials = oldKey;
    let refreshes = 0;
    const source: CredentialsSource = {
      get: async () => cached,
      refresh: async () => {
        refreshes += 1;
        cached = secretValue;
        return cached;
      },
    };
    const { c, attempts } = client(source);
    const id = byName('jdoe')?.admin_user_id ?? 0;
    await setAdminUserInfo(c, { adminUserId: id, displayName: 'first' }, opts());

    secretValue = await createKey(owner, { keyName: 'gen-2', roleNames: ['Admin users manager'] }, opts());
    await deleteKey(owner, oldKey.key_id, opts());

    const out = await setAdminUserInfo(c, { adminUserId: id, displayName: 'second' }, opts());
    expect(out.attempts).toBe(2);
    expect(refreshes).toBe(1);
    expect(attempts.map((a) => a.outcome)).toEqual(['ok', 'voximplant_433', 'ok']);
    const [, failed, succeeded] = setCalls();
    expect(failed?.error_code).toBe(433);
    expect(succeeded?.key_id).toBe(secretValue.key_id);
    expect(byName('jdoe')?.admin_user_display_name).toBe('second');
    expect(c.stats.jwtSigns).toBe(2);
  });

  it('a key whose refresh brings no new key: the second auth failure is final', async () => {
    const { c: owner } = client();
    const doomed = await createKey(owner, { keyName: 'doomed' }, opts());
    await deleteKey(owner, doomed.key_id, opts());
    const { c } = client(credentialsFromValue(doomed));
    await expect(getAccountInfo(c, opts())).rejects.toMatchObject({
      code: 'voximplant_433',
      kind: 'auth',
      attempts: 2,
    });
  });

  it('signs once for many calls, with the key of the credentials', async () => {
    const { c } = client();
    for (let i = 0; i < 5; i += 1) await getAccountInfo(c, opts());
    expect(c.stats).toEqual({ requests: 5, jwtSigns: 1 });
    expect(sim.calls().every((call) => call.key_id === sim.credentials().key_id)).toBe(true);
  });
});
