import type { AdminAttributes } from '../events/admin-change';
import type { SetAdminUserInfoInput } from '../voximplant/admin-users';

/** The change's attributes as the SetAdminUserInfo call by id that applies them (also what `plan` prints). */
export function setAdminUserInfoInput(adminUserId: number, set: AdminAttributes): SetAdminUserInfoInput {
  return {
    adminUserId,
    ...(set.active !== undefined && { active: set.active }),
    ...(set.name !== undefined && { newName: set.name }),
    ...(set.displayName !== undefined && { displayName: set.displayName }),
    ...(set.password !== undefined && { password: set.password }),
  };
}
