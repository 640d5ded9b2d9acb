import { describe, expect, it } from 'vitest';
import { hasValidBearerToken, scimTokenSecretSchema } from '../../../src/scim/token-secret';

const secret = { tokens: ['old-token-1234567890', 'new-token-0987654321'] };
const withAuth = (authorization?: string): { headers: Record<string, string> } => ({
  headers: authorization === undefined ? {} : { authorization },
});

describe('SCIM bearer tokens', () => {
  it('accepts any of the active tokens (rotation), with the scheme in any case', () => {
    expect(hasValidBearerToken(withAuth('Bearer old-token-1234567890'), secret)).toBe(true);
    expect(hasValidBearerToken(withAuth('bearer new-token-0987654321'), secret)).toBe(true);
    expect(hasValidBearerToken(withAuth('BEARER  new-token-0987654321 '), secret)).toBe(true);
  });

  it.each([
    [undefined],
    [''],
    ['non-token'], // the Okta suite's probe
    ['new-token-0987654321'],
    ['Basic bmV3LXRva2Vu'],
    ['Bearer new-token-098765432'],
    ['Bearer new-token-09876543210'],
    ['Bearer '],
    ['Bearer a b'],
  ])('refuses %j', (header) => {
    expect(hasValidBearerToken(withAuth(header), secret)).toBe(false);
  });

  it('the secret must hold at least one non-empty token', () => {
    expect(scimTokenSecretSchema.safeParse({ tokens: [] }).success).toBe(false);
    expect(scimTokenSecretSchema.safeParse({ tokens: [''] }).success).toBe(false);
    expect(scimTokenSecretSchema.safeParse({ token: 'x' }).success).toBe(false);
  });
});
