import { type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  callApi,
  errorCode,
  foreignKey,
  manualClock,
  type RunningSim,
  signToken,
  startSim,
  type TokenOverrides,
} from './sim-harness';

const CHILD = 2_000_002;
const clock = manualClock();
const NOW = Math.floor(clock.now() / 1000);
let s: RunningSim;

beforeAll(async () => {
  s = await startSim({ now: clock.now, childAccountIds: [CHILD] });
});
afterAll(() => s.sim.close());

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('JWT rules (Voximplant authorization guide, error codes of Errors.php)', () => {
  const cases: [string, (ctx: { key_id: string; account_id: number }) => Promise<TokenOverrides>, number | null][] = [
    ['a valid token', async () => ({}), null],
    ['iss as a numeric string (Java, .NET)', async (c) => ({ iss: String(c.account_id) }), null],
    ['iss naming a child account', async () => ({ iss: CHILD }), null],
    ['iss naming another account', async () => ({ iss: 999 }), 100],
    ['iss a non-numeric string', async () => ({ iss: 'acme' }), 100],
    ['no iss', async () => ({ iss: undefined }), 447],
    ['no iat', async () => ({ iat: undefined }), 447],
    ['no exp', async () => ({ exp: undefined }), 447],
    ['no kid', async () => ({ kid: undefined }), 447],
    ['an unknown kid', async () => ({ kid: 'no-such-key' }), 433],
    ['a signature by another key', async () => ({ key: await foreignKey() }), 100],
    ['exp - iat = 3600 (the maximum)', async () => ({ iat: NOW - 10, exp: NOW - 10 + 3600 }), null],
    ['exp - iat = 3601', async () => ({ iat: NOW, exp: NOW + 3601 }), 454],
    ['exp before iat', async () => ({ iat: NOW, exp: NOW - 1 }), 454],
    ['iat 10 s ahead (within the default tolerance)', async () => ({ iat: NOW + 10, exp: NOW + 70 }), null],
    ['iat 11 s ahead', async () => ({ iat: NOW + 11, exp: NOW + 71 }), 455],
    ['exp = now', async () => ({ iat: NOW - 60, exp: NOW }), 456],
    ['exp in the past', async () => ({ iat: NOW - 120, exp: NOW - 60 }), 456],
  ];

  it.each(cases.map(([name, overrides, expected]) => ({ name, overrides, expected })))(
    '$name → $expected',
    async ({ overrides, expected }) => {
      const creds = s.sim.credentials();
      const token = await signToken(creds, NOW, await overrides(creds));
      const res = await callApi(s.apiUrl, 'GetAccountInfo', {}, { token });
      expect(res.status).toBe(200);
      if (expected === null) expect(res.body.result.account_id).toBeTypeOf('number');
      else expect(res.body).toEqual({ error: { code: expected, msg: expect.any(String) } });
    },
  );

  it.each([
    ['not a JWT at all', 'garbage', 447],
    ['two segments', 'a.b', 447],
    ['a header that is not JSON', `${Buffer.from('nope').toString('base64url')}.e30.sig`, 447],
  ])('%s → %s', async (_name, token, expected) => {
    expect(errorCode(await callApi(s.apiUrl, 'GetAccountInfo', {}, { token }))).toBe(expected);
  });

  it('refuses alg "none" and HS256 with 100 (RS256 only)', async () => {
    const { key_id, account_id } = s.sim.credentials();
    const claims = { iss: account_id, iat: NOW, exp: NOW + 60 };
    const none = `${b64url({ alg: 'none', kid: key_id })}.${b64url(claims)}.`;
    const hs256 = await new SignJWT(claims as unknown as JWTPayload)
      .setProtectedHeader({ alg: 'HS256', kid: key_id })
      .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!'));
    for (const token of [none, hs256]) {
      expect(errorCode(await callApi(s.apiUrl, 'GetAccountInfo', {}, { token }))).toBe(100);
    }
  });

  it('a payload that is not JSON is 447, even when correctly signed', async () => {
    const { CompactSign, importPKCS8 } = await import('jose');
    const creds = s.sim.credentials();
    const token = await new CompactSign(new TextEncoder().encode('not json'))
      .setProtectedHeader({ alg: 'RS256', kid: creds.key_id })
      .sign(await importPKCS8(creds.private_key, 'RS256'));
    expect(errorCode(await callApi(s.apiUrl, 'GetAccountInfo', {}, { token }))).toBe(447);
  });

  it('a child account in iss acts on that account', async () => {
    const api = apiAs(s.apiUrl, s.sim.credentials(), clock.now);
    const res = await api('GetAccountInfo', {}, { jwt: { iss: CHILD } });
    expect(res.body.result.account_id).toBe(CHILD);
  });

  it.each([
    ['no credentials at all', undefined, {}, 100],
    ['a Basic header', 'Basic dXNlcjpwYXNz', {}, 100],
    ['"Bearer" without a token', 'Bearer', {}, 447],
    ['the deprecated api_key scheme (not simulated)', undefined, { account_id: 1_000_001, api_key: 'k' }, 100],
  ])('%s → %s', async (_name, authorization, params, expected) => {
    const res = await callApi(s.apiUrl, 'GetAccountInfo', params, authorization ? { authorization } : {});
    expect(errorCode(res)).toBe(expected);
  });

  it('records a refused call in the call log', async () => {
    await callApi(s.apiUrl, 'GetAccountInfo', {}, { token: 'garbage' });
    expect(s.sim.calls().at(-1)).toMatchObject({ method: 'GetAccountInfo', auth: 'none', error_code: 447 });
  });
});

describe('clock skew tolerance option', () => {
  it('clockSkewToleranceSec: 0 refuses an iat one second ahead', async () => {
    const strict = await startSim({ now: clock.now, clockSkewToleranceSec: 0 });
    try {
      const creds = strict.sim.credentials();
      const ahead = await signToken(creds, NOW, { iat: NOW + 1, exp: NOW + 61 });
      const exact = await signToken(creds, NOW);
      expect(errorCode(await callApi(strict.apiUrl, 'GetAccountInfo', {}, { token: ahead }))).toBe(455);
      expect(errorCode(await callApi(strict.apiUrl, 'GetAccountInfo', {}, { token: exact }))).toBeUndefined();
    } finally {
      await strict.sim.close();
    }
  });

  it('a token expires when the simulator clock passes exp', async () => {
    const creds = s.sim.credentials();
    const token = await signToken(creds, NOW, { iat: NOW, exp: NOW + 30 });
    expect(errorCode(await callApi(s.apiUrl, 'GetAccountInfo', {}, { token }))).toBeUndefined();
    clock.advance(30_000);
    try {
      expect(errorCode(await callApi(s.apiUrl, 'GetAccountInfo', {}, { token }))).toBe(456);
    } finally {
      clock.set(NOW * 1000);
    }
  });
});
