import { missingParameter, SimApiError } from '../api-error';
import type { MethodContext } from '../method-context';
import { keyRoleById } from '../roles';
import type { StoredKey } from '../store';

/**
 * The live key named by `key_id` in the acting account; 433 INVALID_KEY_ID for any other
 * (https://voximplant.com/docs/references/httpapi/rolesystem).
 */
export function ownKey({ store, account, params }: MethodContext): StoredKey {
  const keyId = params.string('key_id');
  if (keyId === undefined || keyId === '') throw missingParameter('key_id');
  const key = store.liveKey(keyId);
  if (!key || key.account_id !== account.account_id) throw new SimApiError(433);
  return key;
}

/** RoleView: `{role_id, role_name}`. */
export function roleViews(key: StoredKey): { role_id: number; role_name: string }[] {
  return key.role_ids.map((id) => ({ role_id: id, role_name: keyRoleById(id)?.role_name ?? `role ${id}` }));
}
