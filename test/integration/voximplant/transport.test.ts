import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type CallOptions, VoximplantClient } from '../../../src/voximplant/client';
import { DEFAULT_RETRY_POLICY } from '../../../src/voximplant/retry';
import { fixedDeadline, mutableCredentials, recordingSleep, testCredentials } from '../../support/voximplant';

/**
 * The client over a real socket: a tiny node:http server whose behaviour each test chooses per request.
 * Attempt timeouts are short real timers; retry delays go through an injected sleep (no waiting).
 */
type Handler = (req: IncomingMessage, res: ServerResponse, n: number, body: string) => void;
let handler: Handler = (_req, res) => res.end();
let count = 0;
let server: Server;
let apiUrl: string;
const hanging = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => handler(req, res, count++, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/platform_api`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function client(url = apiUrl) {
  count = 0;
  const { sleep, delays } = recordingSleep();
  const c = new VoximplantClient({
    apiUrl: url,
    credentials: mutableCredentials(testCredentials()),
    attemptTimeoutMs: 150,
    sleep,
    random: () => 0.5,
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3, minAttemptMs: 10 },
  });
  return { c, delays };
}

const opts = (over: Partial<CallOptions> = {}): CallOptions => ({ deadline: fixedDeadline(60_000), ...over });
const answer = (res: ServerResponse, body: unknown, status = 200, type = 'application/json') => {
  res.writeHead(status, { 'content-type': type });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

describe('VoximplantClient over HTTP', () => {
  it('times out an attempt the server never answers, as ambiguous, asking verify each time', async () => {
    handler = (_req, res) => {
      hanging.add(res); // never answered
    };
    const { c, delays } = client();
    let verifies = 0;
    await expect(
      c.call(
        'SetAdminUserInfo',
        { required_admin_user_id: 1, admin_user_active: false },
        opts({
          verify: async () => {
            verifies += 1;
            return false;
          },
        }),
        z.number(),
      ),
    ).rejects.toMatchObject({ code: 'timeout', kind: 'ambiguous', attempts: 3 });
    expect(verifies).toBe(3);
    expect(delays).toEqual([50, 100]);
    expect(count).toBe(3);
  });

  it('stops at a timeout when verify finds the change applied', async () => {
    handler = (_req, res) => {
      hanging.add(res);
    };
    const { c } = client();
    const out = await c.call(
      'SetAdminUserInfo',
      { required_admin_user_id: 1 },
      opts({ verify: async () => true }),
      z.number(),
    );
    expect(out).toMatchObject({ verified: true, attempts: 1 });
  });

  it('retries after the server destroys the socket (a stale keep-alive connection)', async () => {
    handler = (req, res, n) => {
      if (n === 0) req.socket.destroy();
      else answer(res, { result: 1 });
    };
    const { c, delays } = client();
    const out = await c.call('SetAdminUserInfo', { required_admin_user_id: 1 }, opts(), z.number());
    expect(out).toMatchObject({ result: 1, attempts: 2 });
    expect(delays).toEqual([50]);
  });

  it('retries a 502 HTML page and a 200 HTML page as transient', async () => {
    handler = (_req, res, n) => {
      if (n === 0) answer(res, '<html><body>502 Bad Gateway</body></html>', 502, 'text/html');
      else if (n === 1) answer(res, '<html><body>maintenance</body></html>', 200, 'text/html');
      else answer(res, { result: [] });
    };
    const { c } = client();
    const out = await c.call('GetAdminUsers', {}, opts(), z.array(z.unknown()));
    expect(out).toMatchObject({ result: [], attempts: 3 });
  });

  it('reports a refused connection as transient: the request was never sent', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { c } = client(`http://127.0.0.1:${port}/platform_api`);
    await expect(c.call('GetAdminUsers', {}, opts(), z.unknown())).rejects.toMatchObject({
      code: 'connection_refused',
      kind: 'transient',
      attempts: 3,
    });
  });

  it('sends the body as a form, not as a query string', async () => {
    let seen: { url?: string; type?: string; body: string } = { body: '' };
    handler = (req, res, _n, body) => {
      seen = { url: req.url, type: req.headers['content-type'], body };
      answer(res, { result: 1 });
    };
    const { c } = client();
    await c.call(
      'SetAdminUserInfo',
      { required_admin_user_id: 3, new_admin_user_password: 'Pa55 w0rd' },
      opts(),
      z.number(),
    );
    expect(seen.url).toBe('/platform_api/SetAdminUserInfo');
    expect(seen.type).toBe('application/x-www-form-urlencoded');
    expect(seen.body).toBe('required_admin_user_id=3&new_admin_user_password=Pa55+w0rd');
  });
});
