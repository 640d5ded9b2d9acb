import type { MethodHandler } from '../method-context';
import type { SimMethod } from '../roles';
import { addAdminUser } from './add-admin-user';
import { createKey } from './create-key';
import { delAdminUser } from './del-admin-user';
import { deleteKey } from './delete-key';
import { getAccountInfo } from './get-account-info';
import { getAdminUsers } from './get-admin-users';
import { getKeyRoles } from './get-key-roles';
import { getKeys } from './get-keys';
import { setAdminUserInfo } from './set-admin-user-info';

/** Every Management API method the simulator serves; any other name is 103 "Unknown command". */
export const METHOD_HANDLERS: Readonly<Record<SimMethod, MethodHandler>> = {
  AddAdminUser: addAdminUser,
  CreateKey: createKey,
  DelAdminUser: delAdminUser,
  DeleteKey: deleteKey,
  GetAccountInfo: getAccountInfo,
  GetAdminUsers: getAdminUsers,
  GetKeyRoles: getKeyRoles,
  GetKeys: getKeys,
  SetAdminUserInfo: setAdminUserInfo,
};
