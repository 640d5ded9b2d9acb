import { describe, expect, it } from 'vitest';
import {
  applyPatch,
  MAX_PATCH_OPERATIONS,
  MAX_USER_BYTES,
  readPatchOperations,
} from '../../../src/scim/protocol/patch';
import { CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, PATCH_OP_SCHEMA } from '../../../src/scim/protocol/schema';
import { ScimError } from '../../../src/scim/protocol/scim-error';

const base = {
  userName: 'jdoe',
  displayName: 'John Doe',
  active: true,
  name: { givenName: 'John', familyName: 'Doe' },
  emails: [{ type: 'home', value: 'j@home.example' }],
};

function patch(resource: Record<string, unknown>, operations: unknown[]) {
  return applyPatch(resource, readPatchOperations({ schemas: [PATCH_OP_SCHEMA], Operations: operations }));
}

describe('PATCH operations (RFC 7644 §3.5.2) with the Entra and Okta shapes', () => {
  it('Entra legacy: "Replace" with the string "False"', () => {
    const out = patch(base, [{ op: 'Replace', path: 'active', value: 'False' }]);
    expect(out.attributes.active).toBe(false);
    expect([...out.touched]).toEqual(['active']);
  });

  it('Okta: a path-less replace of {active: false}', () => {
    const out = patch(base, [{ op: 'replace', value: { active: false } }]);
    expect(out.attributes.active).toBe(false);
    expect([...out.touched]).toEqual(['active']);
  });

  it('Entra aadOptscim062020: a filtered email path that matches nothing adds it, dotted keys in a path-less value', () => {
    const out = patch(base, [
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'john@work.example' },
      {
        op: 'replace',
        value: {
          displayName: 'Johnny Doe',
          'name.givenName': 'Johnny',
          'name.familyName': 'Doe-Smith',
          [`${ENTERPRISE_USER_SCHEMA}:employeeNumber`]: '123',
        },
      },
    ]);
    expect(out.attributes).toEqual({
      userName: 'jdoe',
      displayName: 'Johnny Doe',
      active: true,
      name: { givenName: 'Johnny', familyName: 'Doe-Smith' },
      emails: [
        { type: 'home', value: 'j@home.example' },
        { type: 'work', value: 'john@work.example' },
      ],
      [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '123' },
    });
    expect(out.touched).toEqual(new Set(['emails', 'displayName', 'name']));
  });

  it('replaces the sub-attribute of matching values only', () => {
    const out = patch(base, [{ op: 'replace', path: 'emails[type eq "home"].value', value: 'new@home.example' }]);
    expect(out.attributes.emails).toEqual([{ type: 'home', value: 'new@home.example' }]);
  });

  it('add appends to a multi-valued attribute without duplicating; replace without a filter replaces them all', () => {
    const added = patch(base, [
      {
        op: 'Add',
        path: 'emails',
        value: [
          { type: 'work', value: 'w@x' },
          { type: 'home', value: 'j@home.example' },
        ],
      },
    ]);
    expect(added.attributes.emails).toEqual([
      { type: 'home', value: 'j@home.example' },
      { type: 'work', value: 'w@x' },
    ]);
    const replaced = patch(base, [{ op: 'replace', path: 'emails', value: [{ type: 'work', value: 'w@x' }] }]);
    expect(replaced.attributes.emails).toEqual([{ type: 'work', value: 'w@x' }]);
  });

  it('replace of a complex attribute keeps the sub-attributes it does not name', () => {
    const out = patch(base, [{ op: 'replace', path: 'name', value: { givenName: 'Jon' } }]);
    expect(out.attributes.name).toEqual({ givenName: 'Jon', familyName: 'Doe' });
  });

  it('remove by path and by value filter; null and "" clear (the Entra validator)', () => {
    const out = patch(base, [
      { op: 'remove', path: 'emails[type eq "home"]' },
      { op: 'replace', path: 'displayName', value: '' },
      { op: 'replace', path: 'name.familyName', value: null },
    ]);
    expect(out.attributes).toEqual({ userName: 'jdoe', active: true, name: { givenName: 'John' } });
  });

  it('Entra manager shapes: the extension URN path with a bare id, and Add with a list', () => {
    const a = patch(base, [{ op: 'Add', path: `${ENTERPRISE_USER_SCHEMA}:manager`, value: 'm-1' }]);
    expect(a.attributes[ENTERPRISE_USER_SCHEMA]).toEqual({ manager: { value: 'm-1' } });
    const b = patch(base, [{ op: 'Add', path: 'manager', value: [{ $ref: null, value: 'm-2' }] }]);
    expect(b.attributes[ENTERPRISE_USER_SCHEMA]).toEqual({ manager: { value: 'm-2' } });
    const c = patch(b.attributes, [{ op: 'remove', path: `${ENTERPRISE_USER_SCHEMA}:manager` }]);
    expect(c.attributes[ENTERPRISE_USER_SCHEMA]).toBeUndefined();
  });

  it('captures a password without putting it in the resource', () => {
    const out = patch(base, [{ op: 'replace', path: 'password', value: 'n3w-Passw0rd' }]);
    expect(out.password).toBe('n3w-Passw0rd');
    expect(JSON.stringify(out.attributes)).not.toContain('n3w-Passw0rd');
  });

  it('ignores unknown attributes and groups, and does not touch the input', () => {
    const input = structuredClone(base);
    const out = patch(input, [
      { op: 'replace', path: 'favouriteColour', value: 'blue' },
      { op: 'add', path: 'groups', value: [{ value: 'g' }] },
      { op: 'replace', path: 'displayName', value: 'X' },
    ]);
    expect(out.ignored).toEqual(['favouriteColour']);
    expect(out.attributes.displayName).toBe('X');
    expect(input).toEqual(base);
  });

  it.each([
    [{ schemas: [PATCH_OP_SCHEMA] }, 'invalidSyntax', 'Operations must be'],
    [{ Operations: [] }, 'invalidSyntax', 'Operations must be'],
    [{ Operations: [{ op: 'move', path: 'x' }] }, 'invalidSyntax', 'add, remove or replace'],
    [{ Operations: [{ op: 'remove' }] }, 'noTarget', 'remove needs a path'],
    [{ Operations: [{ op: 'replace', value: 'x' }] }, 'invalidValue', 'without a path'],
    [{ Operations: [{ op: 'replace', path: 5, value: 'x' }] }, 'invalidPath', 'must be a string'],
  ])('refuses the body %j', (body, scimType, message) => {
    expect(() => readPatchOperations(body)).toThrowError(ScimError);
    expect(() => readPatchOperations(body)).toThrowError(
      expect.objectContaining({ status: 400, scimType, detail: expect.stringContaining(message) }),
    );
  });

  it.each([
    [[{ op: 'replace', path: 'id', value: '7' }], 'mutability'],
    [[{ op: 'replace', path: 'meta.created', value: 'x' }], 'mutability'],
    [[{ op: 'replace', path: 'emails[type eq "work" or type eq "home2"].value', value: 'a' }], 'noTarget'],
    [[{ op: 'replace', path: 'emails[type eq "work"', value: 'a' }], 'invalidPath'],
    [[{ op: 'replace', path: 'displayName.x', value: 'a' }], 'invalidPath'],
    [[{ op: 'replace', path: 'active', value: 'maybe' }], 'invalidValue'],
    [[{ op: 'remove', path: 'password' }], 'mutability'],
  ])('refuses operations %j with %s', (operations, scimType) => {
    expect(() => patch({ ...base, emails: [{ type: 'home', value: 'h' }] }, operations)).toThrowError(ScimError);
    expect(() => patch({ ...base, emails: [{ type: 'home', value: 'h' }] }, operations)).toThrowError(
      expect.objectContaining({ status: 400, scimType }),
    );
  });

  describe('attributes named with their schema URN (RFC 7644 §3.10)', () => {
    it('a path-less value keyed by the core schema URN sets the core attributes, and marks them touched', () => {
      const out = patch(base, [
        { op: 'replace', value: { [CORE_USER_SCHEMA]: { active: false, 'name.givenName': 'Jo' } } },
      ]);
      expect(out.attributes).toEqual({ ...base, active: false, name: { givenName: 'Jo', familyName: 'Doe' } });
      expect(out.touched).toEqual(new Set(['active', 'name']));
      expect(Object.keys(out.attributes)).not.toContain(CORE_USER_SCHEMA);
    });

    it('a core-qualified path, in any case, is the attribute; so is the core URN as the path of an object', () => {
      const a = patch(base, [{ op: 'replace', path: `${CORE_USER_SCHEMA.toUpperCase()}:active`, value: 'False' }]);
      expect(a.attributes.active).toBe(false);
      expect(a.touched).toEqual(new Set(['active']));
      const b = patch(base, [{ op: 'replace', path: CORE_USER_SCHEMA, value: { displayName: 'Core path' } }]);
      expect(b.attributes.displayName).toBe('Core path');
      expect(b.touched).toEqual(new Set(['displayName']));
      const c = patch(base, [
        { op: 'add', value: { [ENTERPRISE_USER_SCHEMA]: { Department: 'Ops', 'manager.value': 'm-9' } } },
      ]);
      expect(c.attributes[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Ops', manager: { value: 'm-9' } });
    });

    it('drops a core schema URN key a stored record may still hold', () => {
      const out = patch({ ...base, [CORE_USER_SCHEMA]: { active: false } }, [
        { op: 'replace', path: 'title', value: 'T' },
      ]);
      expect(out.attributes).toEqual({ ...base, title: 'T' });
    });

    it.each([
      [[{ op: 'replace', value: { active: true, [CORE_USER_SCHEMA]: { active: false } } }], 'given more than once'],
      [[{ op: 'replace', value: { [CORE_USER_SCHEMA]: 'x' } }], 'must be an object of attributes'],
      [[{ op: 'replace', value: { [CORE_USER_SCHEMA]: null } }], 'must be an object of attributes'],
      [[{ op: 'replace', path: CORE_USER_SCHEMA, value: 'x' }], 'must be an object of attributes'],
      [
        [{ op: 'replace', value: { [CORE_USER_SCHEMA]: { [`${ENTERPRISE_USER_SCHEMA}:department`]: 'x' } } }],
        'its own attributes only',
      ],
    ])('refuses %j with 400 invalidValue', (operations, message) => {
      expect(() => patch(base, operations)).toThrowError(ScimError);
      expect(() => patch(base, operations)).toThrowError(
        expect.objectContaining({ status: 400, scimType: 'invalidValue', detail: expect.stringContaining(message) }),
      );
    });
  });

  describe('attributes that cannot become unassigned: 400 mutability (RFC 7644 §3.5.2.2)', () => {
    it.each([
      [{ op: 'remove', path: 'userName' }, 'userName is required'],
      [{ op: 'replace', path: 'userName', value: null }, 'userName is required'],
      [{ op: 'replace', path: 'userName', value: '' }, 'userName is required'],
      [{ op: 'replace', value: { userName: null } }, 'userName is required'],
      [{ op: 'remove', path: `${CORE_USER_SCHEMA}:userName` }, 'userName is required'],
      [{ op: 'remove', path: 'active' }, 'active cannot be removed'],
      [{ op: 'replace', path: 'active', value: null }, 'active cannot be removed'],
      [{ op: 'add', path: 'Active', value: null }, 'active cannot be removed'],
      [{ op: 'replace', value: { active: null } }, 'active cannot be removed'],
      [{ op: 'replace', value: { [CORE_USER_SCHEMA]: { active: null } } }, 'active cannot be removed'],
      [{ op: 'remove', path: CORE_USER_SCHEMA }, 'cannot be removed as a whole'],
    ])('%j', (operation, message) => {
      expect(() => patch(base, [operation])).toThrowError(ScimError);
      expect(() => patch(base, [operation])).toThrowError(
        expect.objectContaining({ status: 400, scimType: 'mutability', detail: expect.stringContaining(message) }),
      );
    });

    it('other attributes still clear with remove and null', () => {
      const out = patch(base, [
        { op: 'remove', path: 'displayName' },
        { op: 'replace', path: 'name', value: null },
      ]);
      expect(out.attributes).toEqual({ userName: 'jdoe', active: true, emails: base.emails });
    });
  });

  it(`refuses more than ${MAX_PATCH_OPERATIONS} operations with invalidSyntax, and takes exactly that many`, () => {
    const op = { op: 'add', path: 'emails', value: [{ value: 'a@b' }] };
    expect(readPatchOperations({ Operations: Array(MAX_PATCH_OPERATIONS).fill(op) })).toHaveLength(
      MAX_PATCH_OPERATIONS,
    );
    expect(() => readPatchOperations({ Operations: Array(MAX_PATCH_OPERATIONS + 1).fill(op) })).toThrowError(ScimError);
    expect(() => readPatchOperations({ Operations: Array(MAX_PATCH_OPERATIONS + 1).fill(op) })).toThrowError(
      expect.objectContaining({ status: 400, scimType: 'invalidSyntax' }),
    );
  });

  it(`refuses a PATCH that would grow the user past ${MAX_USER_BYTES} bytes, and appends many values in one pass`, () => {
    const values = Array.from({ length: 2_000 }, (_, i) => ({ value: `user-${i}@example.com`, type: 'other' }));
    const grown = patch(base, [{ op: 'add', path: 'emails', value: [...values, ...values] }]);
    expect(grown.attributes.emails).toHaveLength(1 + values.length);
    const big = { ...base, title: 'x'.repeat(MAX_USER_BYTES - 1_000) };
    expect(() => patch(big, [{ op: 'replace', path: 'nickName', value: 'y'.repeat(2_000) }])).toThrowError(ScimError);
    expect(() => patch(big, [{ op: 'replace', path: 'nickName', value: 'y'.repeat(2_000) }])).toThrowError(
      expect.objectContaining({
        status: 400,
        scimType: 'invalidValue',
        detail: expect.stringContaining(`at most ${MAX_USER_BYTES}`),
      }),
    );
  });
});
