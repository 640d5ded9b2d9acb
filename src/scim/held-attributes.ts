import type { AdminAttributes } from '../events/admin-change';
import type { AdminUser } from '../voximplant/admin-users';
import type { UserAttributes } from './protocol/normalize';
import { badRequest } from './protocol/scim-error';

/**
 * The SCIM attributes Voximplant itself holds (docs/SCIM.md has the whole mapping): userName ↔ admin_user_name,
 * displayName ↔ admin_user_display_name, active ↔ admin_user_active; password → new_admin_user_password
 * (write-only). Everything else lives only in the SCIM record.
 */
export type HeldAttribute = 'userName' | 'displayName' | 'active';
export const HELD_ATTRIBUTES: readonly HeldAttribute[] = ['userName', 'displayName', 'active'];

/**
 * Voximplant's limits: name < 50, display name < 256, password >= 6 (AddAdminUser and SetAdminUserInfo parameters,
 * https://voximplant.com/docs/references/httpapi/adminusers) and without spaces (error 524, apiclient-php
 * src/Enum/Errors.php).
 */
const MAX_USER_NAME_CHARS = 49;
const MAX_DISPLAY_NAME_CHARS = 255;
const MIN_PASSWORD_CHARS = 6;

const chars = (s: string) => [...s].length;

/**
 * Checks what Voximplant would refuse, before anything is written: the whole request is validated before the first
 * write, so nothing is half-applied (docs/CONTRACT.md#scim). Messages name the attribute and the rule, never a
 * password.
 */
export function validateHeld(attributes: UserAttributes, password: string | undefined): string {
  const userName = attributes.userName;
  if (typeof userName !== 'string' || userName.trim() === '') {
    throw badRequest('invalidValue', 'userName is required');
  }
  if (chars(userName) > MAX_USER_NAME_CHARS) {
    throw badRequest(
      'invalidValue',
      `userName must be fewer than 50 characters (a Voximplant admin_user_name limit); it has ${chars(userName)}`,
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(userName)) {
    throw badRequest('invalidValue', 'userName must not contain control characters');
  }
  const displayName = attributes.displayName;
  if (typeof displayName === 'string' && chars(displayName) > MAX_DISPLAY_NAME_CHARS) {
    throw badRequest(
      'invalidValue',
      'displayName must be fewer than 256 characters (a Voximplant admin_user_display_name limit)',
    );
  }
  if (password !== undefined && (chars(password) < MIN_PASSWORD_CHARS || /\s/.test(password))) {
    throw badRequest(
      'invalidValue',
      'password must have at least 6 characters and no whitespace (the Voximplant admin password policy)',
    );
  }
  return userName;
}

/**
 * What to send to Voximplant: the asserted attributes whose wanted value differs from the admin's current one, and
 * the password whenever one was given (it cannot be read back to compare). An empty result means no call at all.
 */
export function adminChangesFor(
  next: UserAttributes,
  admin: AdminUser,
  asserted: ReadonlySet<HeldAttribute>,
  password: string | undefined,
): AdminAttributes {
  const set: AdminAttributes = {};
  const userName = next.userName;
  if (asserted.has('userName') && typeof userName === 'string' && userName !== admin.admin_user_name) {
    set.name = userName;
  }
  if (asserted.has('displayName')) {
    const displayName = typeof next.displayName === 'string' ? next.displayName : '';
    if (displayName !== admin.admin_user_display_name) set.displayName = displayName;
  }
  if (asserted.has('active') && typeof next.active === 'boolean' && next.active !== admin.admin_user_active) {
    set.active = next.active;
  }
  if (password !== undefined) set.password = password;
  return set;
}

/**
 * Which held attributes a PUT asserts. A PUT restates the whole user (Okta sends one for every profile change), so
 * an attribute is asserted only when the IdP changed it since it last wrote: otherwise a routine PUT carrying
 * `active: true` would re-activate an admin that an HR event deactivated meanwhile. `active: false` is always
 * asserted: a deprovisioned user must never be left active in Voximplant.
 */
export function assertedByPut(next: UserAttributes, previous: UserAttributes): Set<HeldAttribute> {
  const asserted = new Set<HeldAttribute>();
  if (next.userName !== previous.userName) asserted.add('userName');
  if ((next.displayName ?? '') !== (previous.displayName ?? '')) asserted.add('displayName');
  if (typeof next.active === 'boolean' && (next.active !== previous.active || next.active === false)) {
    asserted.add('active');
  }
  return asserted;
}

/** The resource as the IdP sees it now: the record's attributes with Voximplant's current values on top. */
export function withAdminValues(attributes: UserAttributes, admin: AdminUser): UserAttributes {
  const out: UserAttributes = { ...attributes, userName: admin.admin_user_name, active: admin.admin_user_active };
  if (admin.admin_user_display_name === '') delete out.displayName;
  else out.displayName = admin.admin_user_display_name;
  return out;
}

/** The admin after `set` was applied (for the answer, without reading it back). */
export function adminAfter(admin: AdminUser, set: AdminAttributes, applied: readonly string[]): AdminUser {
  const has = (a: string) => applied.includes(a);
  return {
    ...admin,
    ...(set.name !== undefined && has('name') && { admin_user_name: set.name }),
    ...(set.displayName !== undefined && has('displayName') && { admin_user_display_name: set.displayName }),
    ...(set.active !== undefined && has('active') && { admin_user_active: set.active }),
  };
}

/**
 * A display name for AddAdminUser, which requires one (485 without it): the IdP's displayName, else name.formatted,
 * else given + family name, else the userName.
 */
export function displayNameForCreate(attributes: UserAttributes, userName: string): string {
  if (typeof attributes.displayName === 'string') return attributes.displayName;
  const name = attributes.name as Record<string, unknown> | undefined;
  const formatted = typeof name?.formatted === 'string' ? name.formatted : undefined;
  const joined = [name?.givenName, name?.familyName].filter((p): p is string => typeof p === 'string').join(' ');
  const chosen = formatted ?? (joined !== '' ? joined : userName);
  return [...chosen].slice(0, MAX_DISPLAY_NAME_CHARS).join('');
}
