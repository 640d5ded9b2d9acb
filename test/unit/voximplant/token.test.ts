import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { SecretError } from '../../../src/secrets/json-secret';
import { IAT_BACKDATE_SEC, TOKEN_RENEW_BEFORE_SEC, TokenSigner } from '../../../src/voximplant/token';
import { mutableCredentials, testCredentials, testKeyPair } from '../../support/voximplant';

const T0 = Date.parse('2026-11-27T09:15:00Z');

function clock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TokenSigner', () => {
  it('signs RS256 with kid = key_id and iss = account id (a number), iat backdated, exp - iat <= 3600', async () => {
    const c = clock();
    const signer = new TokenSigner(mutableCredentials(testCredentials()), { now: c.now });
    const token = await signer.token();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'key-aaaa-1111' });
    const claims = decodeJwt(token);
    expect(claims.iss).toBe(1000001);
    expect(typeof claims.iss).toBe('number');
    expect(claims.iat).toBe(T0 / 1000 - IAT_BACKDATE_SEC);
    const exp = claims.exp ?? 0;
    const iat = claims.iat ?? 0;
    expect(exp - iat).toBeLessThanOrEqual(3600);
    expect(exp - iat).toBeGreaterThan(3000);
    // the signature checks out with the public half
    await expect(compactVerify(token, testKeyPair().publicKey)).resolves.toBeDefined();
  });

  it('puts a child account id in iss when asked', async () => {
    const signer = new TokenSigner(mutableCredentials(testCredentials()));
    const claims = decodeJwt(await signer.token(2000002));
    expect(claims.iss).toBe(2000002);
  });

  it('reuses one token for many calls, sequential and concurrent', async () => {
    const c = clock();
    const source = mutableCredentials(testCredentials());
    const signer = new TokenSigner(source, { now: c.now });
    const first = await signer.token();
    for (let i = 0; i < 20; i += 1) {
      c.advance(60_000 / 20);
      expect(await signer.token()).toBe(first);
    }
    const fresh = new TokenSigner(source, { now: c.now });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => fresh.token()));
    expect(new Set(tokens).size).toBe(1);
    expect(signer.signCount).toBe(1);
    expect(fresh.signCount).toBe(1);
  });

  it('keeps one token per (key_id, iss)', async () => {
    const signer = new TokenSigner(mutableCredentials(testCredentials()));
    const main = await signer.token();
    const child = await signer.token(2000002);
    expect(child).not.toBe(main);
    expect(await signer.token()).toBe(main);
    expect(await signer.token(2000002)).toBe(child);
    expect(signer.signCount).toBe(2);
  });

  it('signs a new token shortly before the old one expires', async () => {
    const c = clock();
    const signer = new TokenSigner(mutableCredentials(testCredentials()), { now: c.now });
    const first = await signer.token();
    const exp = decodeJwt(first).exp ?? 0;
    // just more than the renewal margin left: still the same token
    c.advance((exp - TOKEN_RENEW_BEFORE_SEC - T0 / 1000 - 1) * 1000);
    expect(await signer.token()).toBe(first);
    // inside the margin: a new one, valid for another hour
    c.advance(2000);
    const second = await signer.token();
    expect(second).not.toBe(first);
    expect(decodeJwt(second).exp).toBeGreaterThan(exp);
    expect(signer.signCount).toBe(2);
  });

  it('signs anew after invalidate() and after the key changes', async () => {
    const source = mutableCredentials(testCredentials());
    const signer = new TokenSigner(source);
    await signer.token();
    signer.invalidate();
    await signer.token();
    // RS256 (PKCS#1 v1.5) is deterministic, so within the same second the new token equals the old: count signatures.
    expect(signer.signCount).toBe(2);
    source.set(testCredentials({ key_id: 'key-bbbb-2222' }));
    const third = await signer.token();
    expect(decodeProtectedHeader(third).kid).toBe('key-bbbb-2222');
    expect(signer.signCount).toBe(3);
  });

  it('reports an unreadable private key by field, without the key', async () => {
    const junk = '-----BEGIN PRIVATE KEY-----\nTUlJQ2VjcmV0LW5vdC1hLWtleQ==\n-----END PRIVATE KEY-----';
    const signer = new TokenSigner(mutableCredentials(testCredentials({ private_key: junk })));
    const signing = signer.token();
    await expect(signing).rejects.toThrowError(SecretError);
    await expect(signing).rejects.toMatchObject({
      code: 'secret_malformed',
      message: expect.stringContaining('private_key'),
    });
    await expect(signing).rejects.toMatchObject({ message: expect.not.stringContaining('TUlJQ2VjcmV0') });
  });
});
