import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyToRetire } from '../../../src/rotation/service-key/key-to-retire';
import {
  isKeyOfRotation,
  rotatedKeyDescription,
  rotatedKeyName,
} from '../../../src/rotation/service-key/rotated-key-name';
import type { VoximplantCredentials } from '../../../src/voximplant/credentials';

const key = (key_id: string, account_id = 1000001): VoximplantCredentials => ({
  key_id,
  account_id,
  private_key: '-----BEGIN PRIVATE KEY-----',
});

describe('the key finishSecret retires', () => {
  it('is AWSPREVIOUS, two generations back once AWSCURRENT moves', () => {
    expect(keyToRetire({ current: key('k1'), pending: key('k2'), previous: key('k0') })).toBe('k0');
  });

  it('is none when there is no previous key, or it is the current or pending key, or another account', () => {
    expect(keyToRetire({ current: key('k1'), pending: key('k2') })).toBeUndefined();
    expect(keyToRetire({ current: key('k1'), pending: key('k2'), previous: key('k1') })).toBeUndefined();
    expect(keyToRetire({ current: key('k1'), pending: key('k2'), previous: key('k2') })).toBeUndefined();
    expect(keyToRetire({ current: key('k1'), pending: key('k2'), previous: key('k0', 7) })).toBeUndefined();
  });

  it('is never the current or the pending key, whatever the versions hold', () => {
    const id = fc.constantFrom('a', 'b', 'c');
    fc.assert(
      fc.property(id, id, fc.option(id, { nil: undefined }), (c, p, prev) => {
        const retired = keyToRetire({
          current: key(c),
          pending: key(p),
          previous: prev === undefined ? undefined : key(prev),
        });
        expect(retired === undefined || (retired !== c && retired !== p)).toBe(true);
      }),
    );
  });
});

describe('rotated key names', () => {
  const token = '0f8fad5b-d9cb-469f-a165-70867728950e';
  const at = Date.UTC(2026, 10, 27, 9, 15);

  it('say what made the key, when, and for which rotation, within CreateKey limit of 50', () => {
    const name = rotatedKeyName(token, at);
    expect(name).toMatch(/^vox-admin-bridge-20261127-[0-9a-f]{8}$/);
    expect(name.length).toBeLessThanOrEqual(50);
    expect(rotatedKeyName(`${token}${'x'.repeat(28)}`, at).length).toBeLessThanOrEqual(50);
  });

  it('find the keys of this rotation only, by description or by name on another day', () => {
    const other = 'aaaaaaaa-d9cb-469f-a165-70867728950e';
    expect(isKeyOfRotation({ keyId: '1', description: rotatedKeyDescription(token) }, token)).toBe(true);
    expect(isKeyOfRotation({ keyId: '2', keyName: rotatedKeyName(token, at + 86_400_000) }, token)).toBe(true);
    expect(isKeyOfRotation({ keyId: '3', keyName: rotatedKeyName(other, at) }, token)).toBe(false);
    expect(isKeyOfRotation({ keyId: '4', keyName: 'vox-admin-bridge-prod', description: 'rotation 1' }, token)).toBe(
      false,
    );
    expect(isKeyOfRotation({ keyId: '5' }, token)).toBe(false);
  });
});
