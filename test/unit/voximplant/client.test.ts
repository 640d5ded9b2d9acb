import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Logger } from '../../../src/observability/logger';
import { SecretError } from '../../../src/secrets/json-secret';
import { type AttemptInfo, type CallOptions, VoximplantClient } from '../../../src/voximplant/client';
import { VoximplantError } from '../../../src/voximplant/errors';
import { DEFAULT_RETRY_POLICY } from '../../../src/voximplant/retry';
import {
  apiErrorBody,
  type CapturedRequest,
  fakeFetch,
  fixedDeadline,
  json,
  mutableCredentials,
  type Responder,
  recordingSleep,
  testCredentials,
} from '../../support/voximplant';

const API = 'https://api.example.test/platform_api';
const opts = (over: Partial<CallOptions> = {}): CallOptions => ({ deadline: fixedDeadline(120_000), ...over });
const ok = () => json({ result: 1 }, 200, { date: 'Fri, 27 Nov 2026 09:15:00 GMT' });

function setup(responder: Responder, extra: { random?: () => number } = {}) {
  const { fetch, requests } = fakeFetch(responder);
  const credentials = mutableCredentials(testCredentials());
  const { sleep, delays } = recordingSleep();
  const attempts: AttemptInfo[] = [];
  const logs: unknown[] = [];
  const logger = {
    debug: (...args: unknown[]) => logs.push(['debug', ...args]),
    warn: (...args: unknown[]) => logs.push(['warn', ...args]),
  } as unknown as Logger;
  const client = new VoximplantClient({
    apiUrl: `${API}/`,
    credentials,
    fetch,
    sleep,
    random: extra.random ?? (() => 0.5),
    logger,
    onAttempt: (info) => attempts.push(info),
  });
  return { client, requests, credentials, delays, attempts, logs };
}

/** Answers with each response in turn, the last one forever. */
const sequence =
  (...make: Array<() => Response>): Responder =>
  (_req, i) =>
    (make[Math.min(i, make.length - 1)] as () => Response)();

const form = (r: CapturedRequest) => Object.fromEntries(new URLSearchParams(r.body));

describe('VoximplantClient request encoding', () => {
  it('POSTs a form body to {apiUrl}/{Method} with a bearer JWT, nothing in the query string', async () => {
    const { client, requests } = setup(() => ok());
    const out = await client.call(
      'SetAdminUserInfo',
      {
        required_admin_user_id: 12,
        admin_user_active: false,
        with_roles: true,
        new_admin_user_password: 'S3cret!pw',
        x: undefined,
      },
      opts({ idempotencyKey: 'a'.repeat(64) }),
      z.number(),
    );
    expect(out).toMatchObject({ result: 1, attempts: 1, verified: false, serverDate: 'Fri, 27 Nov 2026 09:15:00 GMT' });
    const [req] = requests as [CapturedRequest];
    expect(req.method).toBe('POST');
    expect(req.url).toBe(`${API}/SetAdminUserInfo`);
    expect(new URL(req.url).search).toBe('');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers['idempotency-key']).toBe('a'.repeat(64));
    expect(form(req)).toEqual({
      required_admin_user_id: '12',
      admin_user_active: 'false',
      with_roles: 'true',
      new_admin_user_password: 'S3cret!pw',
    });
    const auth = req.headers.authorization ?? '';
    expect(auth).toMatch(/^Bearer /);
    expect(decodeJwt(auth.slice('Bearer '.length)).iss).toBe(1000001);
  });

  it('signs for a child account when asked and sends no Idempotency-Key unless given', async () => {
    const { client, requests } = setup(() => json({ result: [] }));
    await client.call('GetAdminUsers', {}, opts({ accountId: 2000002 }), z.array(z.unknown()));
    const req = requests[0] as CapturedRequest;
    expect(decodeJwt((req.headers.authorization ?? '').slice(7)).iss).toBe(2000002);
    expect(req.headers['idempotency-key']).toBeUndefined();
  });

  it('signs one JWT for many calls', async () => {
    const { client } = setup(() => ok());
    for (let i = 0; i < 5; i += 1)
      await client.call('SetAdminUserInfo', { required_admin_user_id: i + 1 }, opts(), z.number());
    await Promise.all(
      Array.from({ length: 5 }, () =>
        client.call('SetAdminUserInfo', { required_admin_user_id: 1 }, opts(), z.number()),
      ),
    );
    expect(client.stats).toEqual({ requests: 10, jwtSigns: 1 });
  });

  it('refuses a method name that is not one', async () => {
    const { client, requests } = setup(() => ok());
    await expect(client.call('../__sim/reset', {}, opts(), z.number())).rejects.toMatchObject({
      code: 'invalid_request',
    });
    expect(requests).toHaveLength(0);
  });
});

describe('VoximplantClient retries', () => {
  it('retries transient errors with full-jitter delays and the same idempotency key', async () => {
    const { client, requests, delays, attempts } = setup(
      sequence(
        () => apiErrorBody(2, 'Internal error'),
        () => new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
        () => new Response('<html>oops</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
        () => ok(),
      ),
    );
    const out = await client.call(
      'SetAdminUserInfo',
      { required_admin_user_id: 1 },
      opts({ idempotencyKey: 'k1' }),
      z.number(),
    );
    expect(out.attempts).toBe(4);
    expect(delays).toEqual([50, 100, 200]);
    expect(attempts.map((a) => a.outcome)).toEqual(['voximplant_2', 'http_502', 'bad_response', 'ok']);
    expect(new Set(requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set(['k1']));
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
  });

  it('backs off harder on 340 and tells the limiter', async () => {
    const { fetch } = fakeFetch(
      sequence(
        () => apiErrorBody(340, 'Rate limit exceeded'),
        () => ok(),
      ),
    );
    const { sleep, delays } = recordingSleep();
    const events: string[] = [];
    const client = new VoximplantClient({
      apiUrl: API,
      credentials: mutableCredentials(testCredentials()),
      fetch,
      sleep,
      random: () => 0.5,
      limiter: {
        acquire: async () => {
          events.push('acquire');
        },
        onThrottled: () => events.push('throttled'),
        onSuccess: () => events.push('success'),
      },
    });
    await client.call('SetAdminUserInfo', { required_admin_user_id: 1 }, opts(), z.number());
    expect(delays).toEqual([500]);
    expect(events).toEqual(['acquire', 'throttled', 'acquire', 'success']);
  });

  it('waits what a 416 names', async () => {
    const { client, delays } = setup(
      sequence(
        () => apiErrorBody(416, 'Repeat the request after 2 seconds'),
        () => ok(),
      ),
      { random: () => 0 },
    );
    await client.call('SetAdminUserInfo', { required_admin_user_id: 1 }, opts(), z.number());
    expect(delays).toEqual([2000]);
  });

  it('refreshes credentials and token once after an auth error', async () => {
    const { client, credentials, requests, delays } = setup(
      sequence(
        () => apiErrorBody(433, 'Invalid key id'),
        () => ok(),
      ),
    );
    await client.call('SetAdminUserInfo', { required_admin_user_id: 1 }, opts(), z.number());
    expect(credentials.refreshes).toBe(1);
    expect(delays).toEqual([0]);
    expect(client.stats.jwtSigns).toBe(2);
    expect(requests).toHaveLength(2);
  });

  it('treats a second auth error as final', async () => {
    const { client, credentials, requests } = setup(() => apiErrorBody(100, 'Authorization failed'));
    const calling = client.call('SetAdminUserInfo', { required_admin_user_id: 1 }, opts(), z.number());
    await expect(calling).rejects.toThrowError(VoximplantError);
    await expect(calling).rejects.toMatchObject({
      code: 'voximplant_100',
      kind: 'auth',
      attempts: 2,
      voximplantCode: 100,
    });
    expect(credentials.refreshes).toBe(1);
    expect(requests).toHaveLength(2);
  });

  it('does not retry a permanent error', async () => {
    const { client, requests } = setup(() => apiErrorBody(285, 'Invalid required_admin_user_id'));
    await expect(
      client.call('SetAdminUserInfo', { required_admin_user_id: 99 }, opts(), z.number()),
    ).rejects.toMatchObject({ code: 'voximplant_285', kind: 'permanent', attempts: 1, method: 'SetAdminUserInfo' });
    expect(requests).toHaveLength(1);
  });

  it('gives up after maxAttempts', async () => {
    const { client, requests } = setup(() => apiErrorBody(162, 'try later..'));
    await expect(client.call('GetAdminUsers', {}, opts(), z.unknown())).rejects.toMatchObject({
      code: 'voximplant_162',
      attempts: DEFAULT_RETRY_POLICY.maxAttempts,
    });
    expect(requests).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts);
  });

  it('makes one attempt when retry is false', async () => {
    const { client, requests } = setup(() => apiErrorBody(2));
    await expect(client.call('GetAdminUsers', {}, opts({ retry: false }), z.unknown())).rejects.toMatchObject({
      code: 'voximplant_2',
      attempts: 1,
    });
    expect(requests).toHaveLength(1);
  });

  it('does not start when the deadline leaves no room, and stops when the next attempt cannot fit', async () => {
    const { client, requests } = setup(() => apiErrorBody(2));
    await expect(
      client.call('GetAdminUsers', {}, opts({ deadline: fixedDeadline(500) }), z.unknown()),
    ).rejects.toMatchObject({
      code: 'deadline',
      kind: 'transient',
      attempts: 0,
    });
    expect(requests).toHaveLength(0);
    // 10 s attempt timeout + a 50 ms delay do not fit in 10 s
    await expect(
      client.call('GetAdminUsers', {}, opts({ deadline: fixedDeadline(10_000) }), z.unknown()),
    ).rejects.toMatchObject({ code: 'voximplant_2', attempts: 1, message: expect.stringContaining('deadline') });
  });

  it('gives each attempt at most the time left before the deadline', async () => {
    // A fetch that only ever ends by being aborted.
    const hanging = ((_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      })) as typeof fetch;
    const client = new VoximplantClient({
      apiUrl: API,
      credentials: mutableCredentials(testCredentials()),
      fetch: hanging,
      policy: { ...DEFAULT_RETRY_POLICY, minAttemptMs: 1 },
    });
    await expect(
      client.call('GetAdminUsers', {}, opts({ deadline: fixedDeadline(30), retry: false }), z.unknown()),
    ).rejects.toMatchObject({ code: 'timeout', kind: 'ambiguous', message: expect.stringContaining('within 30 ms') });
  });

  it('reports a result of the wrong shape as permanent bad_result, without resending', async () => {
    const { client, requests } = setup(() => json({ result: 'yes' }));
    await expect(
      client.call('SetAdminUserInfo', { required_admin_user_id: 1 }, opts(), z.number()),
    ).rejects.toMatchObject({
      code: 'bad_result',
      kind: 'permanent',
    });
    expect(requests).toHaveLength(1);
  });

  it('reads an `errors` list like an `error`', async () => {
    const { client } = setup(() => json({ errors: [{ code: 286, msg: 'Invalid required_admin_user_name' }] }));
    await expect(client.call('SetAdminUserInfo', {}, opts(), z.number())).rejects.toMatchObject({
      code: 'voximplant_286',
    });
  });

  it('lets a credentials failure through without retrying it as a network error', async () => {
    const { fetch, requests } = fakeFetch(() => ok());
    const client = new VoximplantClient({
      apiUrl: API,
      fetch,
      credentials: {
        get: async () => {
          throw new SecretError('secret_unavailable', 'could not read the Voximplant credentials secret');
        },
        refresh: async () => {
          throw new Error('unused');
        },
      },
    });
    await expect(client.call('GetAdminUsers', {}, opts(), z.unknown())).rejects.toBeInstanceOf(SecretError);
    expect(requests).toHaveLength(0);
  });
});

describe('VoximplantClient ambiguous outcomes', () => {
  it('asks verify after a 484 and stops when the change took effect', async () => {
    const { client, requests } = setup(() => apiErrorBody(484, 'probable automatic request resend'));
    let asked = 0;
    const out = await client.call(
      'SetAdminUserInfo',
      { required_admin_user_id: 1, admin_user_active: false },
      opts({
        verify: async () => {
          asked += 1;
          return true;
        },
      }),
      z.number(),
    );
    expect(out).toEqual({ verified: true, result: undefined, body: {}, attempts: 1 });
    expect(asked).toBe(1);
    expect(requests).toHaveLength(1);
  });

  it('resends after verify says it did not happen (slowly, for 515)', async () => {
    const { client, requests, delays } = setup(
      sequence(
        () => apiErrorBody(515, 'same operation'),
        () => ok(),
      ),
    );
    const out = await client.call(
      'SetAdminUserInfo',
      { required_admin_user_id: 1 },
      opts({ verify: async () => false }),
      z.number(),
    );
    expect(out).toMatchObject({ verified: false, result: 1, attempts: 2 });
    expect(delays).toEqual([500]);
    expect(requests).toHaveLength(2);
  });

  it('resends when verify itself fails', async () => {
    const { client } = setup(
      sequence(
        () => apiErrorBody(484),
        () => ok(),
      ),
    );
    const out = await client.call(
      'SetAdminUserInfo',
      { required_admin_user_id: 1 },
      opts({
        verify: async () => {
          throw new Error('read failed');
        },
      }),
      z.number(),
    );
    expect(out.attempts).toBe(2);
  });

  it('re-checks a 290 that follows an ambiguous attempt (our own earlier rename)', async () => {
    const { client } = setup(
      sequence(
        () => apiErrorBody(484),
        () => apiErrorBody(290, 'not unique'),
      ),
    );
    const answers = [false, true];
    const out = await client.call(
      'SetAdminUserInfo',
      { required_admin_user_id: 1, new_admin_user_name: 'jd' },
      opts({ verify: async () => answers.shift() ?? false }),
      z.number(),
    );
    expect(out).toMatchObject({ verified: true, attempts: 2 });
  });

  it('keeps a 290 permanent when no attempt was ambiguous', async () => {
    const { client } = setup(() => apiErrorBody(290, 'not unique'));
    let asked = 0;
    await expect(
      client.call(
        'SetAdminUserInfo',
        { required_admin_user_id: 1, new_admin_user_name: 'jd' },
        opts({
          verify: async () => {
            asked += 1;
            return true;
          },
        }),
        z.number(),
      ),
    ).rejects.toMatchObject({ code: 'voximplant_290', kind: 'permanent' });
    expect(asked).toBe(0);
  });

  it('never resends a non-idempotent call after an unknown outcome', async () => {
    const { client, requests } = setup(() => apiErrorBody(484));
    await expect(
      client.call('CreateKey', { key_name: 'k' }, opts({ idempotent: false }), z.unknown()),
    ).rejects.toMatchObject({
      code: 'voximplant_484',
      kind: 'ambiguous',
      attempts: 1,
    });
    expect(requests).toHaveLength(1);
  });
});

describe('VoximplantClient secrets', () => {
  it('never logs or throws the JWT, the password or the private key', async () => {
    const { client, requests, logs } = setup(
      sequence(
        () => apiErrorBody(2),
        () => apiErrorBody(100, 'Authorization failed'),
        () => apiErrorBody(100, 'Authorization failed'),
      ),
    );
    const error = (await client
      .call(
        'SetAdminUserInfo',
        { required_admin_user_id: 1, new_admin_user_password: 'Hunter2-Hunter2' },
        opts(),
        z.number(),
      )
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(VoximplantError);
    const jwt = (requests[0]?.headers.authorization ?? '').slice(7);
    expect(jwt.length).toBeGreaterThan(20);
    const everything = JSON.stringify([logs, error.message, String(error.stack), error]);
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [jwt, 'Hunter2-Hunter2', 'PRIVATE KEY']) expect(everything).not.toContain(secret);
  });
});
