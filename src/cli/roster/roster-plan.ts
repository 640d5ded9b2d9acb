import type { ProtectedAdmins } from '../../events/protected-admins';
import type { AdminUser } from '../../voximplant/admin-users';

export interface RosterPlan {
  /** Active, not protected, and not on the roster: to deactivate. */
  deactivate: AdminUser[];
  /** On the roster but inactive in Voximplant (shown; re-activating is a decision for the HR source). */
  inactive: AdminUser[];
  /** On the roster with no admin of that exact name. */
  unknown: string[];
  /** Protected admins (PROTECTED_ADMIN_USERS): never planned, whatever the roster says. */
  protected: AdminUser[];
}

/** Compares the roster with the live admins; names match exactly, as events do (docs/CONTRACT.md#targets-and-names). */
export function rosterPlan(roster: readonly string[], live: readonly AdminUser[], list: ProtectedAdmins): RosterPlan {
  const wanted = new Set(roster);
  const plan: RosterPlan = { deactivate: [], inactive: [], unknown: [], protected: [] };
  const names = new Set(live.map((a) => a.admin_user_name));
  for (const admin of live) {
    if (list.matchesAdmin(admin.admin_user_id, admin.admin_user_name)) plan.protected.push(admin);
    else if (!wanted.has(admin.admin_user_name) && admin.admin_user_active) plan.deactivate.push(admin);
    else if (wanted.has(admin.admin_user_name) && !admin.admin_user_active) plan.inactive.push(admin);
  }
  plan.unknown = roster.filter((n) => !names.has(n));
  return plan;
}
