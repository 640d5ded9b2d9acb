import * as z from 'zod';
import type { VoximplantCaller } from './admin-user';
import { type CallOptions, serverResult, verifyReadOptions } from './client';
import { credentialsSchema, type VoximplantCredentials } from './credentials';
import { invalidRequest, VoximplantError } from './errors';

/** A role as GetKeys and GetKeyRoles list it (RoleView, https://voximplant.com/docs/references/httpapi/rolesystem). */
const roleViewSchema = z.looseObject({ role_id: z.coerce.number().int(), role_name: z.string() });
const keyViewSchema = z.looseObject({
  key_id: z.string(),
  key_name: z.string().optional(),
  description: z.string().optional(),
  roles: z.array(roleViewSchema).optional(),
});

export interface KeyRole {
  roleId: number;
  roleName: string;
}

export interface KeyView {
  keyId: string;
  keyName?: string;
  description?: string;
  roles?: KeyRole[];
}

const toRole = (r: z.infer<typeof roleViewSchema>): KeyRole => ({ roleId: r.role_id, roleName: r.role_name });

export interface CreateKeyInput {
  keyName: string;
  description?: string;
  roleIds?: number[];
  roleNames?: string[];
}

/**
 * CreateKey: a new key pair, returned as a credentials.json. Voximplant keeps no copy of the private key
 * (https://voximplant.com/docs/references/httpapi/rolesystem), so the caller must store it at once. Not idempotent:
 * every request mints another key, so an unknown outcome is never resent (`idempotent: false`); the caller (rotation)
 * retries the whole step later and cleans up keys by name.
 */
export async function createKey(
  client: VoximplantCaller,
  input: CreateKeyInput,
  opts: CallOptions,
): Promise<VoximplantCredentials> {
  const method = 'CreateKey';
  if (input.keyName.length === 0 || input.keyName.length > 50) {
    throw invalidRequest(method, 'keyName must be 1 to 50 characters');
  }
  // Error 449: role_id and role_name together are refused.
  if (input.roleIds?.length && input.roleNames?.length)
    throw invalidRequest(method, 'give roleIds or roleNames, not both');
  const out = await client.call(
    method,
    {
      key_name: input.keyName,
      description: input.description,
      role_id: input.roleIds?.length ? input.roleIds.join(';') : undefined,
      role_name: input.roleNames?.length ? input.roleNames.join(';') : undefined,
    },
    { ...opts, verify: undefined, idempotent: false },
    z.array(credentialsSchema).min(1),
  );
  const created = serverResult(method, out)[0];
  if (created === undefined) {
    throw new VoximplantError({
      code: 'bad_result',
      kind: 'permanent',
      method,
      message: `${method}: no key in the answer`,
      attempts: out.attempts,
    });
  }
  return created;
}

const PAGE_SIZE = 100;
const MAX_PAGES = 50;

/** Every key of the account (no private keys: the API never returns them after CreateKey). */
export async function getKeys(
  client: VoximplantCaller,
  opts: CallOptions,
  filter: { keyId?: string; withRoles?: boolean } = {},
): Promise<KeyView[]> {
  const keys: KeyView[] = [];
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const out = await client.call(
      'GetKeys',
      { key_id: filter.keyId, with_roles: filter.withRoles, count: PAGE_SIZE, offset: keys.length },
      { ...opts, verify: undefined },
      z.array(keyViewSchema),
    );
    const batch = serverResult('GetKeys', out);
    for (const k of batch) {
      keys.push({
        keyId: k.key_id,
        ...(k.key_name === undefined ? {} : { keyName: k.key_name }),
        ...(k.description === undefined ? {} : { description: k.description }),
        ...(k.roles === undefined ? {} : { roles: k.roles.map(toRole) }),
      });
    }
    if (batch.length < PAGE_SIZE) break;
  }
  return keys;
}

/** DeleteKey. After an unknown outcome the key list is read: a key no longer listed is deleted. */
export async function deleteKey(client: VoximplantCaller, keyId: string, opts: CallOptions): Promise<void> {
  if (keyId.length === 0) throw invalidRequest('DeleteKey', 'keyId must not be empty');
  const verify =
    opts.verify ??
    (async () => {
      const keys = await getKeys(client, verifyReadOptions(opts));
      return !keys.some((k) => k.keyId === keyId);
    });
  await client.call('DeleteKey', { key_id: keyId }, { ...opts, verify }, z.unknown());
}

export async function getKeyRoles(client: VoximplantCaller, keyId: string, opts: CallOptions): Promise<KeyRole[]> {
  if (keyId.length === 0) throw invalidRequest('GetKeyRoles', 'keyId must not be empty');
  const out = await client.call(
    'GetKeyRoles',
    { key_id: keyId },
    { ...opts, verify: undefined },
    z.array(roleViewSchema),
  );
  return serverResult('GetKeyRoles', out).map(toRole);
}
