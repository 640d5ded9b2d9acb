import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiAs, errorCode, type RunningSim, startSim } from './sim-harness';

let s: RunningSim;
let api: ReturnType<typeof apiAs>;

beforeAll(async () => {
  s = await startSim();
  api = apiAs(s.apiUrl, s.sim.credentials());
});
afterAll(() => s.sim.close());
beforeEach(() => s.sim.reset());

const deactivate = { required_admin_user_name: 'jdoe', admin_user_active: false };
const jdoeActive = () => s.sim.admins().find((a) => a.admin_user_name === 'jdoe')!.admin_user_active;

describe('queued faults', () => {
  it('error: answers the error without applying, `times` calls in a row, then behaves', async () => {
    s.sim.queueFault({ method: 'SetAdminUserInfo', times: 2, error: { code: 2 } });
    for (let i = 0; i < 2; i++) {
      const res = await api('SetAdminUserInfo', deactivate);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ error: { code: 2, msg: 'Internal error' } });
      expect(jdoeActive()).toBe(true);
    }
    expect((await api('SetAdminUserInfo', deactivate)).body).toEqual({ result: 1 });
    expect(jdoeActive()).toBe(false);
    expect(s.sim.calls().map((c) => [c.fault, c.error_code])).toEqual([
      ['error', 2],
      ['error', 2],
      [undefined, undefined],
    ]);
  });

  it('a fault for one method leaves the others alone; without a method it hits the next call', async () => {
    s.sim.queueFault({ method: 'SetAdminUserInfo', error: { code: 162 } });
    expect((await api('GetAdminUsers')).body.result).toBeDefined();
    expect(errorCode(await api('SetAdminUserInfo', deactivate))).toBe(162);
    s.sim.queueFault({ error: { code: 340, msg: 'slow down' } });
    expect((await api('GetAccountInfo')).body).toEqual({ error: { code: 340, msg: 'slow down' } });
  });

  it("416's default message names the seconds to wait", async () => {
    s.sim.queueFault({ error: { code: 416 } });
    const res = await api('SetAdminUserInfo', deactivate);
    expect(res.body.error.code).toBe(416);
    expect(res.body.error.msg).toMatch(/after \d+ seconds/);
    expect(jdoeActive()).toBe(true);
  });

  it.each([484, 515])('%s: the call IS applied, then the error answered (the ambiguous resend case)', async (code) => {
    s.sim.queueFault({ method: 'SetAdminUserInfo', error: { code } });
    expect(errorCode(await api('SetAdminUserInfo', deactivate))).toBe(code);
    expect(jdoeActive()).toBe(false);
  });

  it('484 on a call that fails by itself answers the real error (nothing was applied)', async () => {
    s.sim.queueFault({ method: 'SetAdminUserInfo', error: { code: 484 } });
    expect(
      errorCode(await api('SetAdminUserInfo', { required_admin_user_name: 'nobody', admin_user_active: false })),
    ).toBe(286);
  });

  it('httpStatus: an HTML error page with that status, not applied', async () => {
    s.sim.queueFault({ method: 'SetAdminUserInfo', httpStatus: 502 });
    const res = await api('SetAdminUserInfo', deactivate);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.text).toContain('502');
    expect(jdoeActive()).toBe(true);
  });

  it('body: a raw body (a proxy page, truncated JSON) at HTTP 200, not applied', async () => {
    s.sim.queueFault({ body: '{"result":' });
    const res = await api('SetAdminUserInfo', deactivate);
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"result":');
    expect(res.body).toBeUndefined();
    expect(jdoeActive()).toBe(true);
  });

  it('error with httpStatus: the error JSON under that status', async () => {
    s.sim.queueFault({ error: { code: 4 }, httpStatus: 503 });
    const res = await api('SetAdminUserInfo', deactivate);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe(4);
    expect(jdoeActive()).toBe(true);
  });

  it("drop 'before': the connection dies and nothing is applied", async () => {
    s.sim.queueFault({ method: 'SetAdminUserInfo', drop: 'before' });
    await expect(api('SetAdminUserInfo', deactivate)).rejects.toThrow();
    expect(jdoeActive()).toBe(true);
    expect(s.sim.calls().at(-1)).toMatchObject({ method: 'SetAdminUserInfo', fault: 'drop_before' });
  });

  it("drop 'after': the change is applied, then the connection dies unanswered", async () => {
    s.sim.queueFault({ method: 'SetAdminUserInfo', drop: 'after' });
    await expect(api('SetAdminUserInfo', deactivate)).rejects.toThrow();
    expect(jdoeActive()).toBe(false);
    expect(s.sim.calls().at(-1)).toMatchObject({ fault: 'drop_after', auth: 'jwt' });
  });

  it('delayMs: applied first, then the answer waits; a client that gives up still changed the admin', async () => {
    s.sim.queueFault({ method: 'SetAdminUserInfo', delayMs: 5_000 });
    const controller = new AbortController();
    const pending = api('SetAdminUserInfo', deactivate, { signal: controller.signal });
    await vi.waitFor(() => expect(jdoeActive()).toBe(false));
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(s.sim.calls().at(-1)).toMatchObject({ fault: 'delay' });
  });

  it('delayMs: a patient client gets the normal answer', async () => {
    s.sim.queueFault({ delayMs: 20 });
    expect((await api('SetAdminUserInfo', deactivate)).body).toEqual({ result: 1 });
  });

  it('rejects nonsense faults', () => {
    expect(() => s.sim.queueFault({})).toThrow(/needs error/);
    expect(() => s.sim.queueFault({ drop: 'after', error: { code: 2 } })).toThrow(/drop cannot be combined/);
    expect(() => s.sim.queueFault({ times: 0, error: { code: 2 } })).toThrow(/times/);
    expect(() => s.sim.queueFault({ httpStatus: 700 })).toThrow(/httpStatus/);
  });

  it('reset clears queued faults', async () => {
    s.sim.queueFault({ error: { code: 2 }, times: 5 });
    s.sim.reset();
    expect((await api('GetAccountInfo')).body.result).toBeDefined();
  });
});
