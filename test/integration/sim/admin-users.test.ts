import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiAs, errorCode, manualClock, type RunningSim, startSim } from './sim-harness';

const clock = manualClock();
let s: RunningSim;
let api: ReturnType<typeof apiAs>;

beforeAll(async () => {
  s = await startSim({ now: clock.now, seed: 'demo' });
  api = apiAs(s.apiUrl, s.sim.credentials(), clock.now);
});
afterAll(() => s.sim.close());
beforeEach(() => s.sim.reset());

function admin(name: string) {
  return s.sim.admins().find((a) => a.admin_user_name === name);
}

describe('SetAdminUserInfo', () => {
  it('deactivates by id and answers {"result":1}', async () => {
    const id = admin('jdoe')!.admin_user_id;
    const res = await api('SetAdminUserInfo', { required_admin_user_id: id, admin_user_active: false });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 1 });
    expect(admin('jdoe')!.admin_user_active).toBe(false);
    expect(admin('jdoe2')!.admin_user_active).toBe(true);
  });

  it('matches required_admin_user_name exactly: jdoe is not jdoe2, and a part matches nobody', async () => {
    expect(
      (await api('SetAdminUserInfo', { required_admin_user_name: 'jdoe', admin_user_active: false })).body,
    ).toEqual({ result: 1 });
    expect(admin('jdoe2')!.admin_user_active).toBe(true);
    expect(
      errorCode(await api('SetAdminUserInfo', { required_admin_user_name: 'jdo', admin_user_active: false })),
    ).toBe(286);
    expect(
      errorCode(await api('SetAdminUserInfo', { required_admin_user_name: 'JDOE', admin_user_active: false })),
    ).toBe(286);
  });

  it('updates name, display name and password together and tracks modified', async () => {
    const id = admin('asmith')!.admin_user_id;
    clock.advance(60_000);
    const res = await api('SetAdminUserInfo', {
      required_admin_user_id: id,
      new_admin_user_name: 'alice',
      admin_user_display_name: 'Alice S.',
      new_admin_user_password: 'Secret-123',
    });
    expect(res.body).toEqual({ result: 1 });
    expect(s.sim.admins().find((a) => a.admin_user_id === id)).toEqual({
      admin_user_id: id,
      admin_user_name: 'alice',
      admin_user_display_name: 'Alice S.',
      admin_user_active: true,
    });
    const listed = await api('GetAdminUsers', { required_admin_user_id: id });
    expect(listed.body.result[0].modified).toBe(new Date(clock.now()).toISOString().slice(0, 19).replace('T', ' '));
  });

  it.each([
    ['true', true],
    ['false', false],
    ['True', true],
    ['False', false],
    ['1', true],
    ['0', false],
  ])('admin_user_active=%s is accepted', async (value, expected) => {
    const res = await api('SetAdminUserInfo', { required_admin_user_name: 'bwong', admin_user_active: value });
    expect(res.body).toEqual({ result: 1 });
    expect(admin('bwong')!.admin_user_active).toBe(expected);
  });

  it.each<[string, Record<string, string | number>, number]>([
    [
      'both target parameters',
      { required_admin_user_id: 2, required_admin_user_name: 'jdoe', admin_user_active: 'false' },
      458,
    ],
    ['neither target parameter', { admin_user_active: 'false' }, 485],
    ['an unknown id', { required_admin_user_id: 999, admin_user_active: 'false' }, 285],
    ['an id that is not a number', { required_admin_user_id: 'x2', admin_user_active: 'false' }, 285],
    ['an id list', { required_admin_user_id: '2;3', admin_user_active: 'false' }, 285],
    ['an unknown name', { required_admin_user_name: 'nobody', admin_user_active: 'false' }, 286],
    ['no change at all', { required_admin_user_name: 'jdoe' }, 485],
    ['a new name of 50 characters', { required_admin_user_name: 'jdoe', new_admin_user_name: 'n'.repeat(50) }, 287],
    ['an empty new name', { required_admin_user_name: 'jdoe', new_admin_user_name: '' }, 362],
    ['a new name already taken', { required_admin_user_name: 'jdoe', new_admin_user_name: 'asmith' }, 290],
    [
      'a display name of 256 characters',
      { required_admin_user_name: 'jdoe', admin_user_display_name: 'd'.repeat(256) },
      288,
    ],
    ['a password of 5 characters', { required_admin_user_name: 'jdoe', new_admin_user_password: 'abcde' }, 112],
    ['a password with a space', { required_admin_user_name: 'jdoe', new_admin_user_password: 'abc defg' }, 524],
    ['admin_user_active=yes', { required_admin_user_name: 'jdoe', admin_user_active: 'yes' }, 496],
  ])('%s → %s', async (_name, params, code) => {
    const before = s.sim.admins();
    const res = await api('SetAdminUserInfo', params);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ error: { code, msg: expect.any(String) } });
    expect(s.sim.admins()).toEqual(before);
  });

  it('accepts the limits themselves: name of 49, display name of 255, password of 6, renaming to its own name', async () => {
    const id = admin('jdoe')!.admin_user_id;
    const changes: Record<string, string>[] = [
      { new_admin_user_name: 'n'.repeat(49) },
      { admin_user_display_name: 'd'.repeat(255) },
      { new_admin_user_password: 'abcdef' },
      { new_admin_user_name: 'n'.repeat(49) },
    ];
    for (const params of changes) {
      expect((await api('SetAdminUserInfo', { required_admin_user_id: id, ...params })).body).toEqual({ result: 1 });
    }
  });

  it('checks every parameter before writing any: a bad display name leaves the name alone', async () => {
    const res = await api('SetAdminUserInfo', {
      required_admin_user_name: 'jdoe',
      new_admin_user_name: 'john',
      admin_user_display_name: 'x'.repeat(300),
    });
    expect(errorCode(res)).toBe(288);
    expect(admin('jdoe')).toBeDefined();
    expect(admin('john')).toBeUndefined();
  });

  it('a rename by name is not idempotent: the resend finds the old name gone (286)', async () => {
    const params = { required_admin_user_name: 'jdoe', new_admin_user_name: 'john' };
    expect((await api('SetAdminUserInfo', params)).body).toEqual({ result: 1 });
    expect(errorCode(await api('SetAdminUserInfo', params))).toBe(286);
  });
});

describe('GetAdminUsers', () => {
  it('filters required_admin_user_name by substring, ignoring case, ordered by id', async () => {
    for (const part of ['jdoe', 'JDoe', 'doe']) {
      const res = await api('GetAdminUsers', { required_admin_user_name: part });
      expect(res.body.result.map((a: { admin_user_name: string }) => a.admin_user_name)).toEqual(['jdoe', 'jdoe2']);
      expect(res.body.total_count).toBe(2);
      expect(res.body.count).toBe(2);
    }
  });

  it('answers the AdminUser structure with modified as YYYY-MM-DD HH:mm:ss', async () => {
    const res = await api('GetAdminUsers', { required_admin_user_name: 'asmith' });
    expect(res.body.result).toEqual([
      {
        admin_user_id: admin('asmith')!.admin_user_id,
        admin_user_name: 'asmith',
        admin_user_display_name: 'Alice Smith',
        admin_user_active: true,
        modified: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      },
    ]);
  });

  it('pages with count (default 20) and offset, total_count counting every match', async () => {
    for (let i = 0; i < 30; i++) s.sim.addAdmin({ admin_user_name: `bulk${String(i).padStart(2, '0')}` });
    const first = await api('GetAdminUsers', {});
    expect(first.body.count).toBe(20);
    expect(first.body.total_count).toBe(35);
    const last = await api('GetAdminUsers', { offset: 20 });
    expect(last.body.count).toBe(15);
    const page = await api('GetAdminUsers', { required_admin_user_name: 'bulk', count: 5, offset: 3 });
    expect(page.body.result.map((a: { admin_user_name: string }) => a.admin_user_name)).toEqual([
      'bulk03',
      'bulk04',
      'bulk05',
      'bulk06',
      'bulk07',
    ]);
    expect(page.body.total_count).toBe(30);
    expect(page.body.count).toBe(5);
    const beyond = await api('GetAdminUsers', { offset: 100 });
    expect(beyond.body).toEqual({ result: [], total_count: 35, count: 0 });
  });

  it('filters by id, by active flag and by display name part', async () => {
    await api('SetAdminUserInfo', { required_admin_user_name: 'bwong', admin_user_active: false });
    const inactive = await api('GetAdminUsers', { admin_user_active: false });
    expect(inactive.body.result.map((a: { admin_user_name: string }) => a.admin_user_name)).toEqual(['bwong']);
    const byId = await api('GetAdminUsers', { required_admin_user_id: 1 });
    expect(byId.body.result[0].admin_user_name).toBe('owner');
    const none = await api('GetAdminUsers', { required_admin_user_id: 999 });
    expect(none.body).toEqual({ result: [], total_count: 0, count: 0 });
    const byDisplay = await api('GetAdminUsers', { admin_user_display_name: 'smith' });
    expect(byDisplay.body.result.map((a: { admin_user_name: string }) => a.admin_user_name)).toEqual(['asmith']);
  });

  it('adds access_entries and admin_roles only when asked', async () => {
    const plain = await api('GetAdminUsers', { required_admin_user_id: 1 });
    expect(plain.body.result[0]).not.toHaveProperty('access_entries');
    expect(plain.body.result[0]).not.toHaveProperty('admin_roles');
    const rich = await api('GetAdminUsers', { required_admin_user_id: 1, with_access_entries: true, with_roles: true });
    expect(rich.body.result[0].access_entries).toContain('SetAdminUserInfo');
    expect(rich.body.result[0].admin_roles).toEqual([
      { admin_role_id: 1, admin_role_name: 'Owner', admin_role_active: true, system_role: true },
    ]);
  });

  it.each<[Record<string, string>, number]>([
    [{ count: '0' }, 496],
    [{ count: 'ten' }, 496],
    [{ offset: '-1' }, 496],
    [{ required_admin_user_id: 'abc' }, 285],
    [{ admin_user_active: 'maybe' }, 496],
  ])('refuses %j with %s', async (params, code) => {
    expect(errorCode(await api('GetAdminUsers', params))).toBe(code);
  });
});

describe('AddAdminUser', () => {
  const valid = { new_admin_user_name: 'cnew', admin_user_display_name: 'C New', new_admin_user_password: 'Passw0rd' };

  it('creates an active admin and answers result, admin_user_id and admin_user_api_key', async () => {
    const res = await api('AddAdminUser', valid);
    expect(res.body).toEqual({ result: 1, admin_user_id: expect.any(Number), admin_user_api_key: expect.any(String) });
    expect(s.sim.admins().find((a) => a.admin_user_id === res.body.admin_user_id)).toEqual({
      admin_user_id: res.body.admin_user_id,
      admin_user_name: 'cnew',
      admin_user_display_name: 'C New',
      admin_user_active: true,
    });
  });

  it('honours admin_user_active=false and admin roles by name', async () => {
    const res = await api('AddAdminUser', { ...valid, admin_user_active: false, admin_role_name: 'Supervisor' });
    const listed = await api('GetAdminUsers', { required_admin_user_id: res.body.admin_user_id, with_roles: true });
    expect(listed.body.result[0].admin_user_active).toBe(false);
    expect(listed.body.result[0].admin_roles.map((r: { admin_role_name: string }) => r.admin_role_name)).toEqual([
      'Supervisor',
    ]);
  });

  it.each<[string, Record<string, string>, number]>([
    ['a duplicate name', { new_admin_user_name: 'jdoe' }, 290],
    ['no name', { new_admin_user_name: '' }, 485],
    ['a name of 50 characters', { new_admin_user_name: 'n'.repeat(50) }, 287],
    ['no display name', { admin_user_display_name: '' }, 485],
    ['a display name of 256 characters', { admin_user_display_name: 'd'.repeat(256) }, 288],
    ['no password', { new_admin_user_password: '' }, 485],
    ['a short password', { new_admin_user_password: 'abc' }, 112],
    ['a password with whitespace', { new_admin_user_password: 'abc\tdefg' }, 524],
    ['an unknown admin role name', { admin_role_name: 'Wizard' }, 292],
    ['an unknown admin role id', { admin_role_id: '77' }, 291],
    ['admin_role_id and admin_role_name', { admin_role_id: '1', admin_role_name: 'Owner' }, 458],
  ])('%s → %s, and nothing is added', async (_name, override, code) => {
    const before = s.sim.admins();
    expect(errorCode(await api('AddAdminUser', { ...valid, ...override }))).toBe(code);
    expect(s.sim.admins()).toEqual(before);
  });
});

describe('DelAdminUser', () => {
  it('deletes by a ; list of ids', async () => {
    const ids = [admin('jdoe')!.admin_user_id, admin('jdoe2')!.admin_user_id];
    expect((await api('DelAdminUser', { required_admin_user_id: ids.join(';') })).body).toEqual({ result: 1 });
    expect(admin('jdoe')).toBeUndefined();
    expect(admin('jdoe2')).toBeUndefined();
    expect(admin('asmith')).toBeDefined();
  });

  it('deletes by a ; list of exact names', async () => {
    expect((await api('DelAdminUser', { required_admin_user_name: 'asmith;bwong' })).body).toEqual({ result: 1 });
    expect(s.sim.admins().map((a) => a.admin_user_name)).toEqual(['owner', 'jdoe', 'jdoe2']);
  });

  it.each<[string, Record<string, string>, number]>([
    ['one unknown id in the list', { required_admin_user_id: '2;999' }, 285],
    ['one unknown name in the list', { required_admin_user_name: 'jdoe;jdo' }, 286],
    ['all (not simulated)', { required_admin_user_id: 'all' }, 492],
    ['both lists', { required_admin_user_id: '2', required_admin_user_name: 'jdoe' }, 458],
    ['neither list', {}, 485],
    ['an empty list', { required_admin_user_id: ';' }, 485],
  ])('%s → %s, and nothing is deleted', async (_name, params, code) => {
    const before = s.sim.admins();
    expect(errorCode(await api('DelAdminUser', params))).toBe(code);
    expect(s.sim.admins()).toEqual(before);
  });
});

describe('GetAccountInfo', () => {
  it('answers the account, the Owner key access entries and api_address', async () => {
    const res = await api('GetAccountInfo', { return_live_balance: false });
    expect(res.body).toEqual({
      result: {
        account_id: s.sim.accountId,
        account_name: expect.any(String),
        account_email: s.sim.credentials().account_email,
        active: true,
        frozen: false,
        access_entries: [
          'AddAdminUser',
          'CreateKey',
          'DelAdminUser',
          'DeleteKey',
          'GetAccountInfo',
          'GetAdminUsers',
          'GetKeyRoles',
          'GetKeys',
          'SetAdminUserInfo',
        ],
      },
      api_address: s.apiUrl,
    });
  });
});

describe('seeds and child accounts', () => {
  it("'demo' has the owner (id 1) and at least three active demo admins", () => {
    const admins = s.sim.admins();
    expect(admins[0]).toMatchObject({ admin_user_id: 1, admin_user_name: 'owner', admin_user_active: true });
    expect(admins.filter((a) => a.admin_user_id !== 1 && a.admin_user_active).length).toBeGreaterThanOrEqual(3);
    expect(admins.map((a) => a.admin_user_name)).toEqual(expect.arrayContaining(['jdoe', 'jdoe2']));
  });

  it("'empty' has only the owner; a SeedAdmin list adds to it, per account", async () => {
    const empty = await startSim({ seed: 'empty' });
    const CHILD = 3_000_003;
    const listed = await startSim({
      childAccountIds: [CHILD],
      seed: [
        { admin_user_name: 'ops-bot', password: 'Initial-1' },
        { admin_user_name: 'kid-admin', account_id: CHILD, admin_user_active: false },
      ],
    });
    try {
      expect(empty.sim.admins().map((a) => a.admin_user_name)).toEqual(['owner']);
      expect(listed.sim.admins().map((a) => a.admin_user_name)).toEqual(['owner', 'ops-bot']);
      expect(listed.sim.admins(CHILD)).toEqual([
        {
          admin_user_id: 1,
          admin_user_name: 'owner',
          admin_user_display_name: 'Account owner',
          admin_user_active: true,
        },
        {
          admin_user_id: 2,
          admin_user_name: 'kid-admin',
          admin_user_display_name: 'kid-admin',
          admin_user_active: false,
        },
      ]);
      // The parent's key, with the child in iss, manages the child's admins only.
      const childApi = apiAs(listed.apiUrl, listed.sim.credentials());
      const res = await childApi(
        'SetAdminUserInfo',
        { required_admin_user_name: 'kid-admin', admin_user_active: true },
        { jwt: { iss: CHILD } },
      );
      expect(res.body).toEqual({ result: 1 });
      expect(listed.sim.admins(CHILD)[1]!.admin_user_active).toBe(true);
      expect(
        errorCode(
          await childApi('SetAdminUserInfo', { required_admin_user_name: 'kid-admin', admin_user_active: true }),
        ),
      ).toBe(286);
    } finally {
      await empty.sim.close();
      await listed.sim.close();
    }
  });

  it('addAdmin refuses a duplicate name or id', () => {
    expect(() => s.sim.addAdmin({ admin_user_name: 'jdoe' })).toThrow(/already exists/);
    expect(() => s.sim.addAdmin({ admin_user_name: 'x', admin_user_id: 1 })).toThrow(/already exists/);
    expect(() => s.sim.addAdmin({ admin_user_name: 'x', account_id: 42 })).toThrow(/unknown account/);
  });
});
