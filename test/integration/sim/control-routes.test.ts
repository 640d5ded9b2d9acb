import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runSimulatorServer } from '../../../tooling/sim/simulator';
import { apiAs, callApi, errorCode, jsonOf, type RunningSim, startSim } from './sim-harness';

const CHILD = 4_000_004;
let s: RunningSim;
let api: ReturnType<typeof apiAs>;
let dir: string;

beforeAll(async () => {
  s = await startSim({ childAccountIds: [CHILD] });
  api = apiAs(s.apiUrl, s.sim.credentials());
  dir = await mkdtemp(join(tmpdir(), 'vab-sim-'));
});
afterAll(async () => {
  await s.sim.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => s.sim.reset());

async function get(path: string) {
  const res = await fetch(`${s.url}${path}`);
  return { status: res.status, body: await jsonOf(res) };
}

async function post(path: string, body?: unknown) {
  const res = await fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: await jsonOf(res) };
}

describe('control routes (docs/CONTRACT.md#simulator)', () => {
  it('GET /__sim/admins lists the admins with boolean admin_user_active; ?account_id= a child', async () => {
    const main = await get('/__sim/admins');
    expect(main.status).toBe(200);
    expect(main.body).toEqual(s.sim.admins());
    expect(main.body[0]).toEqual({
      admin_user_id: 1,
      admin_user_name: 'owner',
      admin_user_display_name: 'Account owner',
      admin_user_active: true,
    });
    const child = await get(`/__sim/admins?account_id=${CHILD}`);
    expect(child.body.map((a: { admin_user_name: string }) => a.admin_user_name)).toEqual(['owner']);
    expect((await get('/__sim/admins?account_id=77')).status).toBe(404);
    expect((await get('/__sim/admins?account_id=x')).status).toBe(400);
  });

  it('GET /__sim/calls lists calls with method, params and at; passwords are redacted', async () => {
    await api('SetAdminUserInfo', { required_admin_user_name: 'jdoe', new_admin_user_password: 'Sup3r-Secret!' });
    await callApi(s.apiUrl, 'GetAccountInfo', {
      account_id: s.sim.accountId,
      admin_user_name: 'jdoe',
      admin_user_password: 'Sup3r-Secret!',
    });
    const res = await fetch(`${s.url}/__sim/calls`);
    const text = await res.text();
    expect(text).not.toContain('Sup3r-Secret!');
    const calls = JSON.parse(text);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({
      method: 'SetAdminUserInfo',
      params: { required_admin_user_name: 'jdoe', new_admin_user_password: '[redacted]' },
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      auth: 'jwt',
    });
    expect(calls[1].params.admin_user_password).toBe('[redacted]');
    expect(calls[1].auth).toBe('admin_password');
    expect(JSON.stringify(s.sim.calls())).not.toContain('Sup3r-Secret!');
  });

  it('POST /__sim/faults queues one fault or an array; a bad one queues nothing (400)', async () => {
    expect((await post('/__sim/faults', { method: 'GetAccountInfo', error: { code: 2 } })).body).toEqual({ queued: 1 });
    expect(errorCode(await api('GetAccountInfo'))).toBe(2);
    expect(
      (await post('/__sim/faults', [{ error: { code: 162 } }, { method: 'GetAdminUsers', httpStatus: 503 }])).body,
    ).toEqual({ queued: 2 });
    expect(errorCode(await api('GetAccountInfo'))).toBe(162);
    expect((await api('GetAdminUsers')).status).toBe(503);

    const bad = await post('/__sim/faults', [{ error: { code: 2 } }, { drop: 'sideways' }]);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/drop/);
    expect(errorCode(await api('GetAccountInfo'))).toBeUndefined();
    expect((await post('/__sim/faults', 'not json')).status).toBe(400);
  });

  it('POST /__sim/reset restores the seed and clears calls and faults', async () => {
    await api('DelAdminUser', { required_admin_user_name: 'jdoe' });
    s.sim.addAdmin({ admin_user_name: 'extra' });
    s.sim.queueFault({ error: { code: 2 } });
    expect((await post('/__sim/reset')).body).toEqual({ reset: true });
    expect(s.sim.admins().map((a) => a.admin_user_name)).toEqual(['owner', 'jdoe', 'jdoe2', 'asmith', 'bwong']);
    expect(s.sim.calls()).toEqual([]);
    expect(errorCode(await api('GetAccountInfo'))).toBeUndefined();
  });

  it('POST /__sim/rate-limit sets and lifts the limit', async () => {
    expect((await post('/__sim/rate-limit', { per_second: 1 })).status).toBe(200);
    await api('GetAccountInfo');
    expect(errorCode(await api('GetAccountInfo'))).toBe(340);
    expect((await post('/__sim/rate-limit', { per_second: null })).status).toBe(200);
    expect(errorCode(await api('GetAccountInfo'))).toBeUndefined();
    expect((await post('/__sim/rate-limit', { per_second: 'fast' })).status).toBe(400);
  });

  it('GET /__sim/credentials is the working credentials.json', async () => {
    const creds = await get('/__sim/credentials');
    expect(creds.body).toEqual(s.sim.credentials());
    expect(Object.keys(creds.body).sort()).toEqual(['account_email', 'account_id', 'key_id', 'private_key']);
    expect((await apiAs(s.apiUrl, creds.body)('GetAccountInfo')).body.result.account_id).toBe(s.sim.accountId);
  });

  it('unknown control routes are 404', async () => {
    expect((await get('/__sim/nothing')).status).toBe(404);
  });

  it('writeCredentialsFile writes the credentials.json with mode 0600', async () => {
    const path = join(dir, 'credentials.json');
    await s.sim.writeCredentialsFile(path);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(s.sim.credentials());
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});

describe('runSimulatorServer', () => {
  it('starts on a free port, writes credentials, serves the API, and closes', async () => {
    const path = join(dir, 'run-credentials.json');
    const running = await runSimulatorServer({ port: 0, host: '127.0.0.1', seed: 'empty', credentialsFile: path });
    try {
      expect(running.apiUrl).toBe(`${running.url}/platform_api`);
      const creds = JSON.parse(await readFile(path, 'utf8'));
      const res = await apiAs(running.apiUrl, creds)('GetAdminUsers');
      expect(res.body.result.map((a: { admin_user_name: string }) => a.admin_user_name)).toEqual(['owner']);
    } finally {
      await running.close();
    }
    await expect(fetch(`${running.url}/__sim/admins`)).rejects.toThrow();
  });

  it('listen twice is refused; close twice is harmless', async () => {
    const sim = (await startSim()).sim;
    try {
      await expect(sim.listen(0)).rejects.toThrow(/already listening/);
    } finally {
      await sim.close();
    }
    await sim.close();
  });
});
