import { lengthExceeded, missingParameter, SimApiError } from '../api-error';
import { generateRsaKey } from '../keygen';
import { charLength, type MethodContext, type MethodResult } from '../method-context';
import type { Params } from '../params';
import { keyRoleById, keyRoleByName, OWNER_ROLE_ID } from '../roles';
import type { SimStore } from '../store';

/**
 * CreateKey (https://voximplant.com/docs/references/httpapi/rolesystem): `key_name` (1..50 characters), `description`,
 * roles by `role_id` or `role_name` (`;` lists; both at once is 449; unknown 440/441). A key may not mint a key with a
 * role it does not hold itself (435 INVALID_ROLE_SET) unless it is an Owner key: Voximplant does not document this
 * (open question 9), and the strict reading keeps a "Key manager" key from escalating to Owner. At most
 * `maxKeysPerAccount` live keys per account (437; the default and why: simulator.ts). Answers `result: [{account_id,
 * account_email, key_id, private_key}]`, the credentials.json shape, with a new RSA key.
 */
export async function createKey(ctx: MethodContext): Promise<MethodResult> {
  const { store, account, params, caller } = ctx;
  const keyName = params.string('key_name');
  if (keyName !== undefined) {
    if (keyName === '') throw missingParameter('key_name');
    if (charLength(keyName) > 50) throw lengthExceeded('key_name', 50);
  }
  const description = params.string('description') ?? '';
  const roleIds = requestedRoles(params);
  if (caller.kind === 'jwt' && !caller.roleIds.includes(OWNER_ROLE_ID)) {
    if (!roleIds.every((id) => caller.roleIds.includes(id))) throw new SimApiError(435);
  }
  checkKeyLimit(store, account.account_id);
  const material = await generateRsaKey();
  // Checked again: another CreateKey may have finished while this key was being generated.
  checkKeyLimit(store, account.account_id);
  const key = store.addKey({
    account_id: account.account_id,
    key_name: keyName ?? '',
    description,
    role_ids: roleIds,
    ...material,
  });
  return {
    result: [
      {
        account_id: account.account_id,
        account_email: account.account_email,
        key_id: key.key_id,
        private_key: key.privateKeyPem,
      },
    ],
  };
}

function requestedRoles(params: Params): number[] {
  const ids = params.list('role_id');
  const names = params.list('role_name');
  if (ids !== undefined && names !== undefined) throw new SimApiError(449);
  const roles = ids
    ? ids.map((raw) => {
        const role = /^\d{1,15}$/.test(raw) ? keyRoleById(Number(raw)) : undefined;
        if (!role) throw new SimApiError(440);
        return role.role_id;
      })
    : (names ?? []).map((name) => {
        const role = keyRoleByName(name);
        if (!role) throw new SimApiError(441);
        return role.role_id;
      });
  return [...new Set(roles)];
}

function checkKeyLimit(store: SimStore, accountId: number): void {
  let live = 0;
  for (const k of store.keys.values()) if (!k.deleted && k.account_id === accountId) live += 1;
  if (live >= store.maxKeysPerAccount) throw new SimApiError(437);
}
