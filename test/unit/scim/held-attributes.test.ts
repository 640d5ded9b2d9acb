import { describe, expect, it } from 'vitest';
import {
  adminChangesFor,
  assertedByPut,
  displayNameForCreate,
  validateHeld,
  withAdminValues,
} from '../../../src/scim/held-attributes';
import { generatePassword } from '../../../src/scim/password';
import { ScimError } from '../../../src/scim/protocol/scim-error';

const admin = { admin_user_id: 7, admin_user_name: 'jdoe', admin_user_display_name: 'John', admin_user_active: true };

describe('the attributes Voximplant holds', () => {
  it('sends only asserted attributes that differ, and a password whenever given', () => {
    const next = { userName: 'jdoe', displayName: 'Johnny', active: false };
    expect(adminChangesFor(next, admin, new Set(['userName', 'displayName', 'active']), undefined)).toEqual({
      displayName: 'Johnny',
      active: false,
    });
    expect(adminChangesFor(next, admin, new Set(['active']), 'secret1')).toEqual({
      active: false,
      password: 'secret1',
    });
    expect(adminChangesFor({ userName: 'jdoe' }, admin, new Set(['displayName']), undefined)).toEqual({
      displayName: '',
    });
    expect(adminChangesFor({ ...next, active: true }, admin, new Set(['active']), undefined)).toEqual({});
  });

  it('a PUT asserts what changed since the IdP last wrote, and active=false always', () => {
    const previous = { userName: 'jdoe', displayName: 'John', active: true };
    expect(assertedByPut({ ...previous }, previous)).toEqual(new Set());
    expect(assertedByPut({ ...previous, displayName: 'J' }, previous)).toEqual(new Set(['displayName']));
    expect(assertedByPut({ ...previous, active: false }, { ...previous, active: false })).toEqual(new Set(['active']));
    expect(assertedByPut({ userName: 'JDOE', active: true }, previous)).toEqual(new Set(['userName', 'displayName']));
  });

  it('the view an IdP reads has Voximplant values on top of the record', () => {
    expect(
      withAdminValues({ userName: 'old', displayName: 'x', emails: [] }, { ...admin, admin_user_display_name: '' }),
    ).toEqual({
      userName: 'jdoe',
      active: true,
      emails: [],
    });
  });

  it('validates against Voximplant limits before anything is written', () => {
    expect(validateHeld({ userName: 'jdoe' }, undefined)).toBe('jdoe');
    expect(validateHeld({ userName: 'a'.repeat(49), displayName: 'd'.repeat(255) }, 'secret')).toHaveLength(49);
    for (const [attributes, password] of [
      [{}, undefined],
      [{ userName: '  ' }, undefined],
      [{ userName: 'a'.repeat(50) }, undefined],
      [{ userName: 'a\u0007b' }, undefined],
      [{ userName: 'a', displayName: 'd'.repeat(256) }, undefined],
      [{ userName: 'a' }, 'short'],
      [{ userName: 'a' }, 'has space'],
    ] as const) {
      const run = () => validateHeld(attributes as Record<string, unknown>, password);
      expect(run).toThrowError(ScimError);
      expect(run).toThrowError(expect.objectContaining({ status: 400 }));
      if (password !== undefined) {
        expect(run).toThrowError(expect.objectContaining({ detail: expect.not.stringContaining(password) }));
      }
    }
  });

  it('AddAdminUser needs a display name: the IdP’s, else the name parts, else the userName', () => {
    expect(displayNameForCreate({ displayName: 'Shown' }, 'u')).toBe('Shown');
    expect(displayNameForCreate({ name: { formatted: 'Dr. X' } }, 'u')).toBe('Dr. X');
    expect(displayNameForCreate({ name: { givenName: 'Ann', familyName: 'Lee' } }, 'u')).toBe('Ann Lee');
    expect(displayNameForCreate({}, 'u')).toBe('u');
    expect(displayNameForCreate({ name: { formatted: 'x'.repeat(300) } }, 'u')).toHaveLength(255);
  });

  it('generated passwords are long, have every class, no whitespace, and differ', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i += 1) {
      const p = generatePassword();
      expect(p).toHaveLength(24);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[^A-Za-z0-9]/);
      expect(p).not.toMatch(/\s/);
      seen.add(p);
    }
    expect(seen.size).toBe(50);
  });
});
