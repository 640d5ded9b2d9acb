import { describe, expect, it } from 'vitest';
import { deadlineIn } from '../../../src/runtime/deadline';
import { adminPasswordLogin } from '../../../src/voximplant/admin-password-login';
import { VoximplantError } from '../../../src/voximplant/errors';
import { apiErrorBody, fakeFetch, json } from '../../support/voximplant';

const PASSWORD = 'pa55-WORD+&=%secret';
const input = { accountId: 1000001, adminUserName: 'ops-bot', password: PASSWORD };
const accountResult = () => json({ result: { account_id: 1000001, account_name: 'acme' }, api_address: 'x' });

function login(responder: Parameters<typeof fakeFetch>[0]) {
  const fake = fakeFetch(responder);
  const waits: number[] = [];
  const run = adminPasswordLogin(input, {
    apiUrl: 'https://api.example.test/platform_api/',
    deadline: deadlineIn(60_000),
    fetch: fake.fetch,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
  });
  return { run, requests: fake.requests, waits };
}

describe('adminPasswordLogin', () => {
  it('posts GetAccountInfo with the admin credentials in the form body, no Authorization, nothing in the URL', async () => {
    const { run, requests } = login(accountResult);
    expect(await run).toEqual({ accepted: true, accountId: 1000001, attempts: 1 });
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('https://api.example.test/platform_api/GetAccountInfo');
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(request?.body);
    expect(Object.fromEntries(form)).toEqual({
      account_id: '1000001',
      admin_user_name: 'ops-bot',
      admin_user_password: PASSWORD,
      return_live_balance: 'false',
    });
  });

  it('reports a refused password (100) once, without retrying it', async () => {
    const { run, requests } = login(() => apiErrorBody(100, 'Authorization failed'));
    expect(await run).toEqual({ accepted: false, code: 'voximplant_100', voximplantCode: 100, attempts: 1 });
    expect(requests).toHaveLength(1);
  });

  it('retries platform faults and lost answers (it is a read), then answers', async () => {
    const answers = [
      () => apiErrorBody(2, 'internal error'),
      () => new Response('<html>bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
      () => {
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
      },
      accountResult,
    ];
    const { run, requests, waits } = login((_r, i) => answers[i]!());
    expect(await run).toMatchObject({ accepted: true, attempts: 4 });
    expect(requests).toHaveLength(4);
    expect(waits).toHaveLength(3);
  });

  it('fails with a VoximplantError on a permanent error, and never quotes the password', async () => {
    const { run } = login(() => apiErrorBody(104, `Forbidden command for ${PASSWORD}`));
    await expect(run).rejects.toThrowError(VoximplantError);
    await expect(run).rejects.toMatchObject({
      code: 'voximplant_104',
      message: expect.not.stringContaining('admin_user_password'),
    });
  });

  it('refuses to start without time for one attempt', async () => {
    const fake = fakeFetch(accountResult);
    await expect(
      adminPasswordLogin(input, {
        apiUrl: 'https://api.example.test/platform_api',
        deadline: deadlineIn(10),
        fetch: fake.fetch,
      }),
    ).rejects.toMatchObject({ code: 'deadline' });
    expect(fake.requests).toEqual([]);
  });
});
