import type { AdminAttributes } from '../events/admin-change';
import type { AdminUser } from '../voximplant/admin-users';

/**
 * After an ambiguous outcome (timeout, dropped connection, 484, 515) the admin is re-read: when every attribute
 * the change sets already has the wanted value, the change counts as applied. A password cannot be read back, so a
 * change that sets one is never "already so" and is sent again (SetAdminUserInfo sets absolute values).
 */
export function isAlreadyApplied(admin: AdminUser | undefined, set: AdminAttributes): boolean {
  if (admin === undefined || set.password !== undefined) return false;
  if (set.active !== undefined && admin.admin_user_active !== set.active) return false;
  if (set.name !== undefined && admin.admin_user_name !== set.name) return false;
  if (set.displayName !== undefined && admin.admin_user_display_name !== set.displayName) return false;
  return true;
}
