import { type AdminAttributes, type AdminTarget, targetOf } from './admin-change';
import type { AdminChangeEvent } from './admin-change-event';
import type { ProtectedAdmins } from './protected-admins';

/** Why PROTECTED_ADMIN_USERS refuses a change, as every route reports it (dead letter, 422, SCIM error, plan). */
export interface ProtectedRefusal {
  /** `protected_admin`: the change is about a protected admin. `protected_name`: it would give an admin a protected name. */
  code: 'protected_admin' | 'protected_name';
  /** The field that decided it, as the event names it. */
  field: 'admin_user_id' | 'admin_user_name' | 'new_admin_user_name';
  message: string;
}

export const PROTECTED_ADMIN_MESSAGE =
  'the target is a protected admin (PROTECTED_ADMIN_USERS); only an operator may change it';
export const PROTECTED_NAME_MESSAGE =
  "the new name matches a protected admin's name (PROTECTED_ADMIN_USERS; compared ignoring case, surrounding white " +
  'space, invisible characters, compatibility forms and look-alike letters); no admin is renamed or created onto it';

/**
 * What the change alone shows, before any look-up: its target is listed (by id, or by a name that matches), or it
 * renames an admin onto a name that matches a protected one. A rename onto a protected name is refused because the
 * admin would then bear that name: protected from then on (so no offboarding could reach it) and impersonating the
 * protected admin.
 */
export function protectedRefusal(
  list: ProtectedAdmins,
  target: AdminTarget,
  set: Pick<AdminAttributes, 'name'>,
): ProtectedRefusal | undefined {
  if (list.size === 0) return undefined;
  if (list.matchesTarget(target)) {
    const field = target.adminUserId !== undefined ? 'admin_user_id' : 'admin_user_name';
    return { code: 'protected_admin', field, message: PROTECTED_ADMIN_MESSAGE };
  }
  if (set.name !== undefined && list.matchesName(set.name)) {
    return { code: 'protected_name', field: 'new_admin_user_name', message: PROTECTED_NAME_MESSAGE };
  }
  return undefined;
}

/** The same decision for an event's `data`, as POST /events and `plan` see it. */
export function protectedEventRefusal(
  list: ProtectedAdmins,
  data: AdminChangeEvent['data'],
): ProtectedRefusal | undefined {
  const name = 'new_admin_user_name' in data ? data.new_admin_user_name : undefined;
  return protectedRefusal(list, targetOf(data), name === undefined ? {} : { name });
}
