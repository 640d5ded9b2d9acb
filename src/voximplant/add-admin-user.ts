import * as z from 'zod';
import type { VoximplantCaller } from './admin-user';
import { type CallOptions, verifyReadOptions } from './client';
import { VoximplantError } from './errors';
import { findAdminByExactName } from './find-admin-by-exact-name';

const METHOD = 'AddAdminUser';

export interface AddAdminUserInput {
  name: string;
  displayName?: string;
  password: string;
  active?: boolean;
  /** `;`-separated ids or `all` (https://voximplant.com/docs/references/httpapi/adminusers). */
  roleId?: string;
  roleName?: string;
}

/**
 * AddAdminUser (https://voximplant.com/docs/references/httpapi/adminusers). It returns `admin_user_id` and an
 * `admin_user_api_key`; the key is a credential and is dropped here, never returned or logged. Adding is not
 * idempotent: after an unknown outcome (or a 290 "not unique" on a resend) the admin is looked up by exact name, and if
 * it exists now its id is the answer. The caller's own `verify` is not used: only this lookup can also supply the id.
 */
export async function addAdminUser(
  client: VoximplantCaller,
  input: AddAdminUserInput,
  opts: CallOptions,
): Promise<{ adminUserId: number }> {
  let foundId: number | undefined;
  const verify = async () => {
    const admin = await findAdminByExactName(client, input.name, verifyReadOptions(opts));
    foundId = admin?.admin_user_id;
    return foundId !== undefined;
  };
  const out = await client.call(
    METHOD,
    {
      new_admin_user_name: input.name,
      admin_user_display_name: input.displayName,
      new_admin_user_password: input.password,
      admin_user_active: input.active,
      admin_role_id: input.roleId,
      admin_role_name: input.roleName,
    },
    { ...opts, verify },
    z.unknown(),
  );
  const id = out.verified ? foundId : z.coerce.number().int().positive().safeParse(out.body.admin_user_id).data;
  if (id === undefined) {
    throw new VoximplantError({
      code: 'bad_result',
      kind: 'permanent',
      method: METHOD,
      message: `${METHOD}: the answer has no admin_user_id`,
      attempts: out.attempts,
    });
  }
  return { adminUserId: id };
}
