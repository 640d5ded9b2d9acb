import { type MethodContext, type MethodResult, page } from '../method-context';
import { roleViews } from './key-access';

/**
 * GetKeys (https://voximplant.com/docs/references/httpapi/rolesystem): the acting account's live keys in creation
 * order, never a private key. `key_id` filters (no match is an empty list), `with_roles` adds `roles`; `count` /
 * `offset` page.
 */
export function getKeys({ store, account, params }: MethodContext): MethodResult {
  const keyId = params.string('key_id');
  const withRoles = params.bool('with_roles') ?? false;
  const keys = [...store.keys.values()].filter(
    (k) => !k.deleted && k.account_id === account.account_id && (keyId === undefined || k.key_id === keyId),
  );
  return page(
    keys.map((k) => ({
      key_id: k.key_id,
      key_name: k.key_name,
      description: k.description,
      ...(withRoles ? { roles: roleViews(k) } : {}),
    })),
    params,
  );
}
