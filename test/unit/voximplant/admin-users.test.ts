import { describe, expect, it } from 'vitest';
import { getAccountInfo } from '../../../src/voximplant/account';
import {
  addAdminUser,
  delAdminUser,
  findAdminByExactName,
  getAdminById,
  setAdminUserInfo,
  setAdminUserInfoParams,
} from '../../../src/voximplant/admin-users';
import { type CallOptions, VoximplantClient } from '../../../src/voximplant/client';
import { createKey, getKeyRoles } from '../../../src/voximplant/keys';
import {
  apiErrorBody,
  type CapturedRequest,
  fakeFetch,
  fixedDeadline,
  json,
  mutableCredentials,
  recordingSleep,
  testCredentials,
} from '../../support/voximplant';

const opts: CallOptions = { deadline: fixedDeadline(120_000) };

interface Admin {
  admin_user_id: number;
  admin_user_name: string;
  admin_user_display_name: string;
  admin_user_active: boolean;
}

/**
 * A tiny in-memory GetAdminUsers/SetAdminUserInfo with the API's substring filter and paging, plus a hook to
 * answer a call differently. The full behaviour is the simulator's; this keeps the unit tests offline and fast.
 */
function miniApi(
  admins: Admin[],
  override?: (method: string, params: Record<string, string>, n: number) => Response | undefined,
) {
  let n = 0;
  const { fetch, requests } = fakeFetch((req: CapturedRequest) => {
    const method = new URL(req.url).pathname.split('/').pop() ?? '';
    const params = Object.fromEntries(new URLSearchParams(req.body));
    const special = override?.(method, params, n++);
    if (special !== undefined) return special;
    if (method === 'GetAdminUsers') {
      const matches = admins.filter(
        (a) =>
          (params.required_admin_user_id === undefined || a.admin_user_id === Number(params.required_admin_user_id)) &&
          (params.required_admin_user_name === undefined ||
            a.admin_user_name.includes(params.required_admin_user_name)),
      );
      const offset = Number(params.offset ?? 0);
      const page = matches.slice(offset, offset + Math.min(Number(params.count ?? 20), 20)); // server caps pages at 20
      return json({ result: page, total_count: matches.length, count: page.length });
    }
    if (method === 'SetAdminUserInfo') {
      const admin = admins.find((a) => a.admin_user_id === Number(params.required_admin_user_id));
      if (admin === undefined) return apiErrorBody(285);
      if (params.admin_user_active !== undefined) admin.admin_user_active = params.admin_user_active === 'true';
      if (params.new_admin_user_name !== undefined) admin.admin_user_name = params.new_admin_user_name;
      return json({ result: 1 });
    }
    return apiErrorBody(103, 'Unknown command.');
  });
  const client = new VoximplantClient({
    apiUrl: 'https://api.example.test/platform_api',
    credentials: mutableCredentials(testCredentials()),
    fetch,
    sleep: recordingSleep().sleep,
    random: () => 0.5,
  });
  const calls = () => requests.map((r) => `${new URL(r.url).pathname.split('/').pop()} ${r.body}`);
  return { client, requests, calls };
}

const admin = (id: number, name: string, active = true): Admin => ({
  admin_user_id: id,
  admin_user_name: name,
  admin_user_display_name: name.toUpperCase(),
  admin_user_active: active,
});

describe('setAdminUserInfoParams', () => {
  it.each([
    [
      { adminUserId: 12, active: false },
      { required_admin_user_id: '12', admin_user_active: 'false' },
    ],
    [
      { adminUserId: 12, active: true },
      { required_admin_user_id: '12', admin_user_active: 'true' },
    ],
    [
      { adminUserId: 7, newName: 'jd', displayName: 'J D' },
      { required_admin_user_id: '7', new_admin_user_name: 'jd', admin_user_display_name: 'J D' },
    ],
    [
      { adminUserId: 7, password: 'Pa55word!' },
      { required_admin_user_id: '7', new_admin_user_password: 'Pa55word!' },
    ],
  ])('%j → %j', (input, fields) => {
    expect(setAdminUserInfoParams(input)).toEqual(fields);
  });

  it.each([
    [{ adminUserId: 12 }, 'nothing to change'],
    [{ adminUserId: 0, active: true }, 'positive integer'],
    [{ adminUserId: 1.5, active: true }, 'positive integer'],
  ])('refuses %j', (input, why) => {
    expect(() => setAdminUserInfoParams(input)).toThrow(why);
  });
});

describe('findAdminByExactName', () => {
  it('pages through substring matches and compares exactly: jdoe never hits jdoe2', async () => {
    const many = Array.from({ length: 45 }, (_, i) => admin(100 + i, `jdoe${i + 2}`));
    const { client, requests } = miniApi([...many, admin(7, 'jdoe')]);
    const found = await findAdminByExactName(client, 'jdoe', opts);
    expect(found?.admin_user_id).toBe(7);
    expect(requests).toHaveLength(3); // 46 matches, pages of 20
    expect(await findAdminByExactName(client, 'jdoe2', opts)).toMatchObject({ admin_user_id: 100 });
  });

  it('finds nothing when only longer names contain it', async () => {
    const { client } = miniApi([admin(2, 'jdoe2'), admin(3, 'xjdoe')]);
    expect(await findAdminByExactName(client, 'jdoe', opts)).toBeUndefined();
  });

  it('refuses an empty name (it would match everyone)', async () => {
    const { client } = miniApi([]);
    await expect(findAdminByExactName(client, '', opts)).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('getAdminById', () => {
  it('returns the admin, or undefined for an empty list and for 285', async () => {
    const { client } = miniApi([admin(5, 'asmith')], (method, params) =>
      method === 'GetAdminUsers' && params.required_admin_user_id === '404' ? apiErrorBody(285) : undefined,
    );
    expect((await getAdminById(client, 5, opts))?.admin_user_name).toBe('asmith');
    expect(await getAdminById(client, 6, opts)).toBeUndefined();
    expect(await getAdminById(client, 404, opts)).toBeUndefined();
  });
});

describe('setAdminUserInfo', () => {
  it('sends by id and returns result 1', async () => {
    const admins = [admin(5, 'asmith')];
    const { client, calls } = miniApi(admins);
    const out = await setAdminUserInfo(client, { adminUserId: 5, active: false }, { ...opts, idempotencyKey: 'k' });
    expect(out).toMatchObject({ result: 1, verified: false });
    expect(calls()).toEqual(['SetAdminUserInfo required_admin_user_id=5&admin_user_active=false']);
    expect(admins[0]?.admin_user_active).toBe(false);
  });

  it('re-reads the admin after an ambiguous answer and does not resend when it already applied', async () => {
    const admins = [admin(5, 'asmith')];
    const { client, calls } = miniApi(admins, (method, params) => {
      if (method !== 'SetAdminUserInfo') return undefined;
      const a = admins[0] as Admin;
      a.admin_user_active = params.admin_user_active === 'true'; // applied, then the server says "resend?"
      return apiErrorBody(484, 'probable automatic request resend');
    });
    const out = await setAdminUserInfo(client, { adminUserId: 5, active: false }, opts);
    expect(out).toMatchObject({ verified: true, result: 1, attempts: 1 });
    expect(calls()).toEqual([
      'SetAdminUserInfo required_admin_user_id=5&admin_user_active=false',
      'GetAdminUsers required_admin_user_id=5&count=1',
    ]);
  });

  it('resends when the re-read shows the change missing', async () => {
    const admins = [admin(5, 'asmith')];
    const { client, calls } = miniApi(admins, (method, _params, n) =>
      method === 'SetAdminUserInfo' && n === 0 ? apiErrorBody(484) : undefined,
    );
    const out = await setAdminUserInfo(client, { adminUserId: 5, newName: 'asmith2' }, opts);
    expect(out).toMatchObject({ verified: false, attempts: 2 });
    expect(calls().map((c) => c.split(' ')[0])).toEqual(['SetAdminUserInfo', 'GetAdminUsers', 'SetAdminUserInfo']);
    expect(admins[0]?.admin_user_name).toBe('asmith2');
  });
});

describe('addAdminUser and delAdminUser', () => {
  it('returns the new id and never the api key', async () => {
    const { client } = miniApi([], (method) =>
      method === 'AddAdminUser' ? json({ result: 1, admin_user_id: 77, admin_user_api_key: 'sekrit-key' }) : undefined,
    );
    const out = await addAdminUser(client, { name: 'newbie', password: 'Passw0rd!' }, opts);
    expect(out).toEqual({ adminUserId: 77 });
  });

  it('finds its own admin by exact name after an ambiguous answer', async () => {
    const admins = [admin(3, 'newbie2')];
    const { client } = miniApi(admins, (method) => {
      if (method !== 'AddAdminUser') return undefined;
      admins.push(admin(78, 'newbie'));
      return apiErrorBody(484);
    });
    expect(await addAdminUser(client, { name: 'newbie', password: 'Passw0rd!' }, opts)).toEqual({ adminUserId: 78 });
  });

  it('deletes exactly one id, never a list or `all`', async () => {
    const { client, calls } = miniApi([], (method) => (method === 'DelAdminUser' ? json({ result: 1 }) : undefined));
    await delAdminUser(client, 9, opts);
    expect(calls()).toEqual(['DelAdminUser required_admin_user_id=9']);
    await expect(delAdminUser(client, Number.NaN, opts)).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('account and keys', () => {
  it('getAccountInfo asks for no live balance and returns api_address', async () => {
    const { client, calls } = miniApi([], (method) =>
      method === 'GetAccountInfo'
        ? json({
            result: { account_id: 1000001, account_name: 'acme', access_entries: ['GetAdminUsers'] },
            api_address: 'api.x',
          })
        : undefined,
    );
    const info = await getAccountInfo(client, opts);
    expect(info).toMatchObject({
      account: { account_id: 1000001, access_entries: ['GetAdminUsers'] },
      apiAddress: 'api.x',
    });
    expect(calls()).toEqual(['GetAccountInfo return_live_balance=false']);
  });

  it('createKey joins role ids with ; and refuses ids and names together', async () => {
    const key = testCredentials({ key_id: 'new-key' });
    const { client, calls } = miniApi([], (method) => (method === 'CreateKey' ? json({ result: [key] }) : undefined));
    expect(await createKey(client, { keyName: 'bridge', roleIds: [1, 2] }, opts)).toMatchObject({ key_id: 'new-key' });
    expect(calls()).toEqual(['CreateKey key_name=bridge&role_id=1%3B2']);
    await expect(createKey(client, { keyName: 'b', roleIds: [1], roleNames: ['Owner'] }, opts)).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('getKeyRoles maps role views', async () => {
    const { client } = miniApi([], () => json({ result: [{ role_id: 3, role_name: 'Key manager', gui_only: false }] }));
    expect(await getKeyRoles(client, 'k', opts)).toEqual([{ roleId: 3, roleName: 'Key manager' }]);
  });
});
