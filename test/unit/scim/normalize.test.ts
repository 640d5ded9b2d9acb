import { describe, expect, it } from 'vitest';
import { normalizeUserBody } from '../../../src/scim/normalize';
import { ENTERPRISE_USER_SCHEMA } from '../../../src/scim/schema';
import { ScimError } from '../../../src/scim/scim-error';

describe('normalizeUserBody: a POST/PUT body as IdPs send it → the canonical form', () => {
  it('keeps known attributes in their canonical spelling, coerces "True", drops nulls and read-only parts', () => {
    const out = normalizeUserBody({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER_SCHEMA],
      id: '999',
      meta: { resourceType: 'User', created: '2019-09-18T18:15:26.5788954+00:00' },
      UserName: 'emp1',
      active: 'True',
      displayName: 'Kimberly Baker',
      title: null,
      roles: [],
      groups: [],
      name: { Formatted: 'Daniel Mcgee', familyName: 'Employee', honorificPrefix: null },
      emails: [
        { Primary: true, type: 'work', value: 'anna33@gmail.com' },
        { primary: 'False', type: 'home', value: 'anna33@example.com' },
      ],
      addresses: [{ country: null, locality: null }],
      [ENTERPRISE_USER_SCHEMA]: { Department: 'bob', Manager: { Value: 'SuzzyQ', displayName: 'read only' } },
    });
    expect(out.attributes).toEqual({
      userName: 'emp1',
      active: true,
      displayName: 'Kimberly Baker',
      name: { formatted: 'Daniel Mcgee', familyName: 'Employee' },
      emails: [
        { primary: true, type: 'work', value: 'anna33@gmail.com' },
        { primary: false, type: 'home', value: 'anna33@example.com' },
      ],
      [ENTERPRISE_USER_SCHEMA]: { department: 'bob', manager: { value: 'SuzzyQ' } },
    });
    expect(out.ignored).toEqual([]);
  });

  it('ignores misspelt attributes (the Microsoft suite PUTs "adreses" and expects no echo)', () => {
    const out = normalizeUserBody({ userName: 'OMalley', adreses: [{ country: 'Germany' }], userame: 'x' });
    expect(out.attributes).toEqual({ userName: 'OMalley' });
    expect(out.ignored).toEqual(['adreses', 'userame']);
  });

  it('takes the password out of the attributes', () => {
    const out = normalizeUserBody({ userName: 'okta', password: '1mz050nq' });
    expect(out.password).toBe('1mz050nq');
    expect(out.attributes).toEqual({ userName: 'okta' });
  });

  it('keeps custom extensions as sent, and URN-qualified attributes in their extension', () => {
    const custom = 'urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User';
    const out = normalizeUserBody({
      userName: 'x',
      [custom]: { costCode: 'A1', empty: null },
      [`${ENTERPRISE_USER_SCHEMA}:employeeNumber`]: '42',
      'urn:ietf:params:scim:schemas:core:2.0:User:displayName': 'Core qualified',
    });
    expect(out.attributes).toEqual({
      userName: 'x',
      displayName: 'Core qualified',
      [custom]: { costCode: 'A1' },
      [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '42' },
    });
  });

  it('accepts a manager given as a bare id or a one-element list (Entra)', () => {
    expect(normalizeUserBody({ userName: 'x', [ENTERPRISE_USER_SCHEMA]: { manager: 'm-1' } }).attributes).toEqual({
      userName: 'x',
      [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm-1' } },
    });
    expect(
      normalizeUserBody({ userName: 'x', [ENTERPRISE_USER_SCHEMA]: { manager: [{ value: 'm-2', $ref: null }] } })
        .attributes,
    ).toEqual({ userName: 'x', [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm-2' } } });
  });

  it.each([
    [{ userName: 'x', active: 'maybe' }, 'active must be a boolean'],
    [{ userName: 'x', name: 'Bob' }, 'name must be an object'],
    [{ userName: { a: 1 } }, 'userName must be a string'],
    [{ userName: 'x', password: 12345678 }, 'password must be a string'],
    [{ userName: 'x', [ENTERPRISE_USER_SCHEMA]: 'no' }, 'must be an object'],
  ])('refuses %j with 400 invalidValue', (body, message) => {
    try {
      normalizeUserBody(body as Record<string, unknown>);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScimError);
      expect((error as ScimError).status).toBe(400);
      expect((error as ScimError).scimType).toBe('invalidValue');
      expect((error as ScimError).detail).toContain(message);
      expect((error as ScimError).detail).not.toContain('12345678');
    }
  });
});
