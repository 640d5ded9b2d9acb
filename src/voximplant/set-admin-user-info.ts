import * as z from 'zod';
import type { VoximplantCaller } from './admin-user';
import { type CallOptions, type CallResult, verifyReadOptions } from './client';
import { invalidRequest } from './errors';
import { getAdminById } from './get-admin-users';

const METHOD = 'SetAdminUserInfo';

export interface SetAdminUserInfoInput {
  adminUserId: number;
  active?: boolean;
  newName?: string;
  displayName?: string;
  password?: string;
}

/**
 * The exact form fields of one SetAdminUserInfo request (https://voximplant.com/docs/references/httpapi/adminusers), in
 * a stable order; plan and dry-run print these. The admin is addressed by id only: a rename by name is not idempotent
 * (a resend after an unseen success finds the old name gone, 286, or the new one taken, 290).
 */
export function setAdminUserInfoParams(input: SetAdminUserInfoInput): Record<string, string> {
  if (!Number.isSafeInteger(input.adminUserId) || input.adminUserId <= 0) {
    throw invalidRequest(METHOD, 'adminUserId must be a positive integer');
  }
  const params: Record<string, string> = { required_admin_user_id: String(input.adminUserId) };
  if (input.newName !== undefined) params.new_admin_user_name = input.newName;
  if (input.displayName !== undefined) params.admin_user_display_name = input.displayName;
  if (input.password !== undefined) params.new_admin_user_password = input.password;
  if (input.active !== undefined) params.admin_user_active = input.active ? 'true' : 'false';
  if (Object.keys(params).length === 1) throw invalidRequest(METHOD, 'nothing to change');
  return params;
}

/**
 * Whether the admin already looks as `input` asks, read with one GetAdminUsers attempt. A password cannot be read
 * back, so a change that includes one is never confirmed this way (it is resent; 535 is re-checked then).
 */
export async function adminUserInfoApplied(
  client: VoximplantCaller,
  input: SetAdminUserInfoInput,
  opts: CallOptions,
): Promise<boolean> {
  if (input.password !== undefined) return false;
  const admin = await getAdminById(client, input.adminUserId, verifyReadOptions(opts));
  if (admin === undefined) return false;
  return (
    (input.active === undefined || admin.admin_user_active === input.active) &&
    (input.newName === undefined || admin.admin_user_name === input.newName) &&
    (input.displayName === undefined || admin.admin_user_display_name === input.displayName)
  );
}

/**
 * `{"result": 1}` on success (https://voximplant.com/docs/references/httpapi/adminusers); the real API may say `true`,
 * which reads as 1.
 */
const resultSchema = z.union([z.number(), z.boolean().transform(Number)]);

/**
 * SetAdminUserInfo by id. After an ambiguous outcome the admin is re-read (`adminUserInfoApplied`) before a
 * resend, unless the caller brings its own `verify`. A verified outcome reports result 1, what the API answers.
 */
export async function setAdminUserInfo(
  client: VoximplantCaller,
  input: SetAdminUserInfoInput,
  opts: CallOptions,
): Promise<CallResult<number>> {
  const params = setAdminUserInfoParams(input);
  const verify = opts.verify ?? (() => adminUserInfoApplied(client, input, opts));
  const out = await client.call(METHOD, params, { ...opts, verify }, resultSchema);
  return out.verified ? { ...out, result: 1 } : out;
}
