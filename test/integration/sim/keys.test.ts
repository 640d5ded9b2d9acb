import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiAs, type Creds, errorCode, type RunningSim, startSim } from './sim-harness';

let s: RunningSim;
let owner: ReturnType<typeof apiAs>;

beforeAll(async () => {
  s = await startSim();
  owner = apiAs(s.apiUrl, s.sim.credentials());
});
afterAll(() => s.sim.close());
beforeEach(() => s.sim.reset());

async function createKey(params: Record<string, string>, as = owner): Promise<Creds & { account_email: string }> {
  const res = await as('CreateKey', params);
  expect(res.body.error).toBeUndefined();
  return res.body.result[0];
}

async function deleteAllButInitial(): Promise<void> {
  const keys = await owner('GetKeys', { count: 100 });
  for (const k of keys.body.result as { key_id: string }[]) {
    if (k.key_id !== s.sim.credentials().key_id) await owner('DeleteKey', { key_id: k.key_id });
  }
}

describe('keys', () => {
  it('CreateKey answers a credentials.json-shaped result whose key works at once', async () => {
    const res = await owner('CreateKey', {
      key_name: 'bridge-2',
      description: 'rotation',
      role_name: 'Admin users manager',
    });
    expect(res.body).toEqual({
      result: [
        {
          account_id: s.sim.accountId,
          account_email: s.sim.credentials().account_email,
          key_id: expect.any(String),
          private_key: expect.stringContaining('-----BEGIN PRIVATE KEY-----'),
        },
      ],
    });
    const fresh = apiAs(s.apiUrl, res.body.result[0]);
    const admins = await fresh('GetAdminUsers', { required_admin_user_name: 'jdoe' });
    expect(admins.body.total_count).toBe(2);
    await deleteAllButInitial();
  });

  it('GetKeys lists keys without private keys; GetKeyRoles names the roles', async () => {
    const created = await createKey({ key_name: 'k-roles', role_id: '2;3' });
    const keys = await owner('GetKeys', { with_roles: true });
    expect(keys.text).not.toContain('PRIVATE KEY');
    const listed = keys.body.result.find((k: { key_id: string }) => k.key_id === created.key_id);
    expect(listed).toEqual({
      key_id: created.key_id,
      key_name: 'k-roles',
      description: '',
      roles: [
        { role_id: 2, role_name: 'Admin users manager' },
        { role_id: 3, role_name: 'Key manager' },
      ],
    });
    expect(keys.body.total_count).toBe(keys.body.result.length);
    const one = await owner('GetKeys', { key_id: created.key_id });
    expect(one.body.result).toEqual([{ key_id: created.key_id, key_name: 'k-roles', description: '' }]);
    const roles = await owner('GetKeyRoles', { key_id: created.key_id });
    expect(roles.body).toEqual({
      result: [
        { role_id: 2, role_name: 'Admin users manager' },
        { role_id: 3, role_name: 'Key manager' },
      ],
    });
    const initialRoles = await owner('GetKeyRoles', { key_id: s.sim.credentials().key_id });
    expect(initialRoles.body.result).toEqual([{ role_id: 1, role_name: 'Owner' }]);
    await deleteAllButInitial();
  });

  it('DeleteKey: the deleted key then fails with 433, and is gone from GetKeys', async () => {
    const created = await createKey({ role_name: 'Admin users manager' });
    const fresh = apiAs(s.apiUrl, created);
    expect((await fresh('GetAccountInfo')).body.result).toBeDefined();
    expect((await owner('DeleteKey', { key_id: created.key_id })).body).toEqual({ result: 1 });
    expect(errorCode(await fresh('GetAccountInfo'))).toBe(433);
    const keys = await owner('GetKeys');
    expect(keys.body.result.map((k: { key_id: string }) => k.key_id)).not.toContain(created.key_id);
    expect(errorCode(await owner('DeleteKey', { key_id: created.key_id }))).toBe(433);
    expect(errorCode(await owner('GetKeyRoles', { key_id: created.key_id }))).toBe(433);
  });

  it.each<[string, Record<string, string>, number]>([
    ['key_name of 51 characters', { key_name: 'k'.repeat(51) }, 477],
    ['an empty key_name', { key_name: '' }, 485],
    ['role_id and role_name together', { role_id: '2', role_name: 'Key manager' }, 449],
    ['an unknown role_id', { role_id: '99' }, 440],
    ['an unknown role_name', { role_name: 'Emperor' }, 441],
  ])('CreateKey with %s → %s', async (_name, params, code) => {
    expect(errorCode(await owner('CreateKey', params))).toBe(code);
  });

  it('accepts key_name of exactly 50 characters', async () => {
    await createKey({ key_name: 'k'.repeat(50) });
    await deleteAllButInitial();
  });

  it('DeleteKey and GetKeyRoles need key_id (485)', async () => {
    expect(errorCode(await owner('DeleteKey'))).toBe(485);
    expect(errorCode(await owner('GetKeyRoles'))).toBe(485);
  });

  it('roles gate methods: 104 FORBIDDEN_COMMAND outside the role table', async () => {
    const roleless = apiAs(s.apiUrl, await createKey({ key_name: 'none' }));
    const info = await roleless('GetAccountInfo');
    expect(info.body.result.access_entries).toEqual(['GetAccountInfo']);
    expect(errorCode(await roleless('GetAdminUsers'))).toBe(104);

    const adminMgr = apiAs(s.apiUrl, await createKey({ role_name: 'Admin users manager' }));
    expect((await adminMgr('GetAdminUsers')).body.result).toBeDefined();
    expect(errorCode(await adminMgr('CreateKey'))).toBe(104);
    expect(errorCode(await adminMgr('GetKeys'))).toBe(104);

    const viewer = apiAs(s.apiUrl, await createKey({ role_name: 'Admin users viewer' }));
    expect(
      errorCode(await viewer('SetAdminUserInfo', { required_admin_user_name: 'jdoe', admin_user_active: false })),
    ).toBe(104);
    expect(s.sim.admins().find((a) => a.admin_user_name === 'jdoe')!.admin_user_active).toBe(true);

    const keyMgr = apiAs(s.apiUrl, await createKey({ role_name: 'Key manager' }));
    expect(
      errorCode(await keyMgr('SetAdminUserInfo', { required_admin_user_name: 'jdoe', admin_user_active: false })),
    ).toBe(104);
    expect(s.sim.calls().at(-1)).toMatchObject({ method: 'SetAdminUserInfo', auth: 'jwt', error_code: 104 });
    await deleteAllButInitial();
  });

  it('a Key manager key may mint its own roles but not Owner (435), and may rotate itself', async () => {
    const mgrCreds = await createKey({ role_id: '2;3' });
    const mgr = apiAs(s.apiUrl, mgrCreds);
    expect(errorCode(await mgr('CreateKey', { role_name: 'Owner' }))).toBe(435);
    const next = await mgr('CreateKey', { role_id: '2;3', key_name: 'next' });
    const nextCreds = next.body.result[0];
    expect((await mgr('DeleteKey', { key_id: mgrCreds.key_id })).body).toEqual({ result: 1 });
    expect(errorCode(await mgr('GetAccountInfo'))).toBe(433);
    expect((await apiAs(s.apiUrl, nextCreds)('GetAdminUsers')).body.result).toBeDefined();
    await deleteAllButInitial();
  });

  it('refuses more than maxKeysPerAccount live keys with 437, and frees a slot on delete', async () => {
    const small = await startSim({ maxKeysPerAccount: 3 });
    try {
      const as = apiAs(small.apiUrl, small.sim.credentials());
      const first = await createKey({ key_name: 'k1' }, as);
      await createKey({ key_name: 'k2' }, as);
      expect(errorCode(await as('CreateKey', { key_name: 'one-too-many' }))).toBe(437);
      await as('DeleteKey', { key_id: first.key_id });
      await createKey({ key_name: 'fits-again' }, as);
    } finally {
      await small.sim.close();
    }
  });

  it('reset keeps keys valid, including the initial key after a test deleted it', async () => {
    const created = await createKey({ role_name: 'Key manager' });
    await owner('DeleteKey', { key_id: s.sim.credentials().key_id });
    expect(errorCode(await owner('GetAccountInfo'))).toBe(433);
    s.sim.reset();
    expect((await owner('GetAccountInfo')).body.result).toBeDefined();
    expect((await apiAs(s.apiUrl, created)('GetKeys')).body.result).toBeDefined();
    await deleteAllButInitial();
  });
});
