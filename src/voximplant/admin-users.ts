/** The admin-user operations, one per file; import from here. */

export { type AddAdminUserInput, addAdminUser } from './add-admin-user';
export { type AdminUser, adminUserSchema, type VoximplantCaller } from './admin-user';
export { delAdminUser } from './del-admin-user';
export { findAdminByExactName } from './find-admin-by-exact-name';
export { type GetAdminUsersFilter, getAdminById, getAdminUsers } from './get-admin-users';
export {
  adminUserInfoApplied,
  type SetAdminUserInfoInput,
  setAdminUserInfo,
  setAdminUserInfoParams,
} from './set-admin-user-info';
