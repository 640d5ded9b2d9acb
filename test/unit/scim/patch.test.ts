import { describe, expect, it } from 'vitest';
import { applyPatch, readPatchOperations } from '../../../src/scim/patch';
import { ENTERPRISE_USER_SCHEMA, PATCH_OP_SCHEMA } from '../../../src/scim/schema';
import { ScimError } from '../../../src/scim/scim-error';

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

function scimError(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('no error');
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
    const error = scimError(() => readPatchOperations(body));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
    expect(error.detail).toContain(message);
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
    const error = scimError(() => patch({ ...base, emails: [{ type: 'home', value: 'h' }] }, operations));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
  });
});
