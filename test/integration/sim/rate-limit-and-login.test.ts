import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiAs, callApi, errorCode, manualClock, type RunningSim, startSim } from './sim-harness';

const clock = manualClock();
let s: RunningSim;
let api: ReturnType<typeof apiAs>;

beforeAll(async () => {
  s = await startSim({ now: clock.now, seed: [{ admin_user_name: 'ops-bot', password: 'Initial-Pass1' }] });
  api = apiAs(s.apiUrl, s.sim.credentials(), clock.now);
});
afterAll(() => s.sim.close());
beforeEach(() => {
  s.sim.setRateLimit(undefined);
  s.sim.reset();
});

describe('rate limit (340)', () => {
  it('lets a burst of perSecond calls through, answers 340 above it, refills with time', async () => {
    s.sim.setRateLimit(3);
    for (let i = 0; i < 3; i++) expect(errorCode(await api('GetAccountInfo'))).toBeUndefined();
    const limited = await api('GetAccountInfo');
    expect(limited.status).toBe(200);
    expect(limited.body).toEqual({ error: { code: 340, msg: 'Rate limit exceeded' } });
    clock.advance(400); // 1.2 tokens back
    expect(errorCode(await api('GetAccountInfo'))).toBeUndefined();
    expect(errorCode(await api('GetAccountInfo'))).toBe(340);
    clock.advance(1_000);
    expect(errorCode(await api('GetAccountInfo'))).toBeUndefined();
  });

  it('a limited call changes nothing', async () => {
    s.sim.setRateLimit(1);
    await api('GetAccountInfo');
    const res = await api('SetAdminUserInfo', { required_admin_user_name: 'ops-bot', admin_user_active: false });
    expect(errorCode(res)).toBe(340);
    expect(s.sim.admins()[1]!.admin_user_active).toBe(true);
  });

  it('the rateLimitPerSecond option sets it from the start; setRateLimit(undefined) lifts it', async () => {
    const limited = await startSim({ now: clock.now, rateLimitPerSecond: 1 });
    try {
      const as = apiAs(limited.apiUrl, limited.sim.credentials(), clock.now);
      expect(errorCode(await as('GetAccountInfo'))).toBeUndefined();
      expect(errorCode(await as('GetAccountInfo'))).toBe(340);
      limited.sim.setRateLimit(undefined);
      expect(errorCode(await as('GetAccountInfo'))).toBeUndefined();
    } finally {
      await limited.sim.close();
    }
  });

  it('refuses a rate that is not a positive number', () => {
    expect(() => s.sim.setRateLimit(0)).toThrow(/positive/);
  });
});

describe('admin password login (legacy scheme)', () => {
  const login = (extra: Record<string, string | number> = {}) => ({
    account_id: s.sim.accountId,
    admin_user_name: 'ops-bot',
    admin_user_password: 'Initial-Pass1',
    ...extra,
  });

  it('authenticates an active admin for GetAccountInfo and GetAdminUsers only', async () => {
    const info = await callApi(s.apiUrl, 'GetAccountInfo', login());
    expect(info.body.result).toMatchObject({
      account_id: s.sim.accountId,
      access_entries: ['GetAccountInfo', 'GetAdminUsers'],
    });
    const admins = await callApi(s.apiUrl, 'GetAdminUsers', login({ required_admin_user_name: 'ops' }));
    expect(admins.body.total_count).toBe(1);
    const write = await callApi(
      s.apiUrl,
      'SetAdminUserInfo',
      login({ required_admin_user_name: 'ops-bot', admin_user_active: 'false' }),
    );
    expect(errorCode(write)).toBe(104);
    expect(s.sim.calls().at(-1)).toMatchObject({
      auth: 'admin_password',
      account_id: s.sim.accountId,
      error_code: 104,
    });
  });

  it('also by admin_user_id', async () => {
    const id = s.sim.admins()[1]!.admin_user_id;
    const res = await callApi(s.apiUrl, 'GetAccountInfo', {
      account_id: s.sim.accountId,
      admin_user_id: id,
      admin_user_password: 'Initial-Pass1',
    });
    expect(res.body.result.account_id).toBe(s.sim.accountId);
  });

  it.each<[string, Record<string, string | number>]>([
    ['a wrong password', { admin_user_password: 'wrong-pass' }],
    ['an unknown admin', { admin_user_name: 'ghost' }],
    ['a name that only partly matches', { admin_user_name: 'ops' }],
    ['an unknown account', { account_id: 42 }],
    ['no account', { account_id: '' }],
    ['the owner, who has no password', { admin_user_name: 'owner', admin_user_password: '' }],
  ])('%s → 100', async (_name, extra) => {
    expect(errorCode(await callApi(s.apiUrl, 'GetAccountInfo', login(extra)))).toBe(100);
  });

  it('an inactive admin cannot log in', async () => {
    await api('SetAdminUserInfo', { required_admin_user_name: 'ops-bot', admin_user_active: false });
    expect(errorCode(await callApi(s.apiUrl, 'GetAccountInfo', login()))).toBe(100);
  });

  it('the rotation flow: a new password set with the key works, the old one stops working', async () => {
    const set = await api('SetAdminUserInfo', {
      required_admin_user_name: 'ops-bot',
      new_admin_user_password: 'Next-Pass2',
    });
    expect(set.body).toEqual({ result: 1 });
    expect(errorCode(await callApi(s.apiUrl, 'GetAccountInfo', login()))).toBe(100);
    expect(
      errorCode(await callApi(s.apiUrl, 'GetAccountInfo', login({ admin_user_password: 'Next-Pass2' }))),
    ).toBeUndefined();
  });

  it('a Bearer header decides alone: with it, password parameters are ignored', async () => {
    const res = await callApi(s.apiUrl, 'GetAccountInfo', login(), { token: 'garbage' });
    expect(errorCode(res)).toBe(447);
  });
});
