/**
 * Request bodies as the IdPs send them (Microsoft's "Develop a SCIM endpoint" guide,
 * https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups, and
 * Okta's SCIM 2.0 reference, https://developer.okta.com/docs/reference/scim/scim-20/), so the tests
 * exercise the shapes that reach production, not tidy RFC examples.
 */
export const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Entra's create: both schemas, a GUID externalId, meta, roles [], explicit nulls, "True" as a string. */
export function entraCreate(userName: string, extra: Record<string, unknown> = {}) {
  return {
    schemas: [CORE, ENTERPRISE],
    externalId: '7f3e1a52-0b6c-4a9e-9c1e-2d7a8b1f4c11',
    userName,
    active: 'True',
    displayName: 'Test User',
    emails: [{ primary: true, type: 'work', value: `${userName.toLowerCase()}@contoso.example` }],
    meta: { resourceType: 'User' },
    name: { formatted: 'Test User', familyName: 'User', givenName: 'Test' },
    roles: [],
    title: null,
    phoneNumbers: null,
    [ENTERPRISE]: { employeeNumber: '701984', department: null },
    ...extra,
  };
}

/** Okta's create: a password, the Okta user id as externalId, groups [], locale. */
export function oktaCreate(userName: string, password: string) {
  return {
    schemas: [CORE],
    userName,
    name: { givenName: 'Ann', familyName: 'Lee' },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: 'Ann Lee',
    locale: 'en-US',
    externalId: '00ujl29u0le5T6Aj10h7',
    groups: [],
    password,
    active: true,
  };
}

/** Okta AIW apps PUT the whole user for every update, deactivation included. */
export function oktaPut(id: string, userName: string, active: boolean, displayName = 'Ann Lee') {
  return {
    schemas: [CORE],
    id,
    userName,
    name: { givenName: 'Ann', middleName: 'M', familyName: 'Lee' },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName,
    active,
    groups: [],
    meta: { resourceType: 'User' },
  };
}

export function patchOp(...operations: Record<string, unknown>[]) {
  return { schemas: [PATCH_OP], Operations: operations };
}
