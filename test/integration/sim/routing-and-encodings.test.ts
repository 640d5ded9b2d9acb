import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callApi, type Encoding, jsonOf, manualClock, type RunningSim, signToken, startSim } from './sim-harness';

const clock = manualClock();
let s: RunningSim;
let token: string;

beforeAll(async () => {
  s = await startSim({ now: clock.now });
  token = await signToken(s.sim.credentials(), Math.floor(clock.now() / 1000), {
    exp: Math.floor(clock.now() / 1000) + 3600,
  });
});
afterAll(() => s.sim.close());
beforeEach(() => s.sim.reset());

const jdoe = () => s.sim.admins().find((a) => a.admin_user_name === 'jdoe')!;

describe('parameters in all three encodings, method in the path or in cmd', () => {
  it.each<[Encoding, boolean]>([
    ['urlencoded', false],
    ['multipart', false],
    ['query', false],
    ['urlencoded', true],
    ['multipart', true],
    ['query', true],
  ])('%s, cmd=%s: SetAdminUserInfo applies', async (encoding, viaCmd) => {
    const res = await callApi(
      s.apiUrl,
      'SetAdminUserInfo',
      { required_admin_user_name: 'jdoe', admin_user_active: false },
      { token, encoding, viaCmd },
    );
    expect(res.body).toEqual({ result: 1 });
    expect(jdoe().admin_user_active).toBe(false);
    const call = s.sim.calls().at(-1)!;
    expect(call).toMatchObject({ method: 'SetAdminUserInfo', auth: 'jwt', encoding, account_id: s.sim.accountId });
    expect(call.query_keys.length > 0).toBe(encoding === 'query');
  });

  it('the .NET form: the method in the path and in cmd', async () => {
    const res = await callApi(s.apiUrl, 'GetAccountInfo', { cmd: 'GetAccountInfo' }, { token });
    expect(res.body.result.account_id).toBe(s.sim.accountId);
  });

  it('body values win over the query string; the query keys are recorded', async () => {
    const res = await fetch(`${s.apiUrl}/SetAdminUserInfo?required_admin_user_name=jdoe&admin_user_active=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'admin_user_active=false',
    });
    expect(await jsonOf(res)).toEqual({ result: 1 });
    expect(jdoe().admin_user_active).toBe(false);
    expect(s.sim.calls().at(-1)).toMatchObject({
      encoding: 'mixed',
      query_keys: ['required_admin_user_name', 'admin_user_active'],
    });
  });

  it("the docs' curl form: parameters in the query, a JSON body ignored", async () => {
    const res = await fetch(`${s.apiUrl}/GetAdminUsers?required_admin_user_name=jdoe`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect((await jsonOf(res)).total_count).toBe(2);
  });

  it('GET with a query string (the legacy form) works too', async () => {
    const res = await fetch(`${s.apiUrl}/GetAccountInfo`, { headers: { authorization: `Bearer ${token}` } });
    expect((await jsonOf(res)).result.account_id).toBe(s.sim.accountId);
  });

  it('a file part in multipart is read as text', async () => {
    const form = new FormData();
    form.append('required_admin_user_name', 'jdoe');
    form.append('admin_user_display_name', new Blob(['From a file']), 'name.txt');
    const res = await fetch(`${s.apiUrl}/SetAdminUserInfo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(await jsonOf(res)).toEqual({ result: 1 });
    expect(jdoe().admin_user_display_name).toBe('From a file');
  });

  it('a malformed multipart body is 101 Invalid arguments', async () => {
    const res = await fetch(`${s.apiUrl}/GetAccountInfo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=XYZ' },
      body: 'this is not multipart',
    });
    expect((await jsonOf(res)).error.code).toBe(101);
  });
});

describe('method names and HTTP details', () => {
  it.each([
    ['no method at all', () => callApi(s.apiUrl, '', {}, { token, viaCmd: true }), 102],
    ['an unknown method in the path', () => callApi(s.apiUrl, 'GetUsers', {}, { token }), 103],
    ['an unknown method in cmd', () => callApi(s.apiUrl, 'SetAdminUserInfo2', {}, { token, viaCmd: true }), 103],
    ['a method name in the wrong case', () => callApi(s.apiUrl, 'getaccountinfo', {}, { token }), 103],
  ])('%s → %s', async (_name, call, code) => {
    const res = await call();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ error: { code, msg: expect.any(String) } });
  });

  it('answers every API call, even an error, with HTTP 200 JSON and a Date header from its own clock', async () => {
    const res = await callApi(s.apiUrl, 'GetAccountInfo', {}, { token: 'broken' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('date')).toBe(new Date(clock.now()).toUTCString());
  });

  it('records the Idempotency-Key header', async () => {
    await callApi(s.apiUrl, 'GetAccountInfo', {}, { token, headers: { 'idempotency-key': 'abc123' } });
    expect(s.sim.calls().at(-1)!.idempotency_key).toBe('abc123');
  });

  it('refuses other HTTP methods (405) and unknown paths (404)', async () => {
    expect((await fetch(`${s.apiUrl}/GetAccountInfo`, { method: 'PUT' })).status).toBe(405);
    expect((await fetch(`${s.url}/nothing-here`)).status).toBe(404);
  });

  it('refuses a body above 1 MiB with 413', async () => {
    const res = await fetch(`${s.apiUrl}/GetAccountInfo`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `x=${'a'.repeat(1024 * 1024 + 1)}`,
    });
    expect(res.status).toBe(413);
  });
});
