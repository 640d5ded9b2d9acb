import { describe, expect, it } from 'vitest';
import { normalizeUserBody } from '../../../src/scim/protocol/normalize';
import { CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../../../src/scim/protocol/schema';
import { ScimError } from '../../../src/scim/protocol/scim-error';

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
    const normalize = () => normalizeUserBody(body as Record<string, unknown>);
    expect(normalize).toThrowError(ScimError);
    expect(normalize).toThrowError(
      expect.objectContaining({ status: 400, scimType: 'invalidValue', detail: expect.stringContaining(message) }),
    );
    expect(normalize).toThrowError(expect.objectContaining({ detail: expect.not.stringContaining('12345678') }));
  });

  it('reads core attributes wrapped in an object keyed by the core schema URN (RFC 7644 §3.10) as the attributes', () => {
    const out = normalizeUserBody({
      schemas: [CORE_USER_SCHEMA],
      userName: 'x',
      'URN:IETF:params:scim:schemas:core:2.0:User': {
        active: 'False',
        DisplayName: 'Wrapped',
        name: { givenName: 'W' },
        [`${CORE_USER_SCHEMA}:title`]: 'Boss',
        password: 'Secret-123',
      },
    });
    expect(out.attributes).toEqual({
      userName: 'x',
      active: false,
      displayName: 'Wrapped',
      name: { givenName: 'W' },
      title: 'Boss',
    });
    expect(out.password).toBe('Secret-123');
    expect(Object.keys(out.attributes).some((k) => k.toLowerCase().startsWith('urn:'))).toBe(false);
  });

  it.each([
    [{ userName: 'x', active: true, [CORE_USER_SCHEMA]: { active: false } }, 'active is given more than once'],
    [{ userName: 'x', active: true, Active: 'false' }, 'active is given more than once'],
    [{ userName: 'x', active: true, [`${CORE_USER_SCHEMA}:active`]: null }, 'active is given more than once'],
    [{ userName: 'x', [CORE_USER_SCHEMA]: { userName: 'y' } }, 'userName is given more than once'],
    [
      { userName: 'x', [ENTERPRISE_USER_SCHEMA]: { department: 'a' }, [`${ENTERPRISE_USER_SCHEMA}:department`]: 'b' },
      'department is given more than once',
    ],
    [{ userName: 'x', password: 'Secret-123', [CORE_USER_SCHEMA]: { password: 'Other-456' } }, 'password is given'],
    [{ userName: 'x', 'urn:ex:c:User': { a: 1 }, 'urn:ex:c:User:b': 2 }, 'both as an object and attribute'],
    [{ userName: 'x', [CORE_USER_SCHEMA]: { [ENTERPRISE_USER_SCHEMA]: { department: 'a' } } }, 'core attributes only'],
    [{ userName: 'x', [CORE_USER_SCHEMA]: 'active' }, 'must be an object of attributes'],
  ])('refuses %j with 400 invalidValue (%s)', (body, message) => {
    const normalize = () => normalizeUserBody(body as Record<string, unknown>);
    expect(normalize).toThrowError(ScimError);
    expect(normalize).toThrowError(
      expect.objectContaining({ status: 400, scimType: 'invalidValue', detail: expect.stringContaining(message) }),
    );
    expect(normalize).toThrowError(
      expect.objectContaining({ detail: expect.not.stringMatching(/Secret-123|Other-456/) }),
    );
  });

  it('accepts the same value given twice in two spellings', () => {
    const out = normalizeUserBody({ userName: 'x', active: false, [CORE_USER_SCHEMA]: { Active: 'False' } });
    expect(out.attributes).toEqual({ userName: 'x', active: false });
  });
});
