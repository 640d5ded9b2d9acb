import * as z from 'zod';
import type { VoximplantCaller } from './admin-user';
import { type CallOptions, verifyReadOptions } from './client';
import { invalidRequest } from './errors';
import { getAdminById } from './get-admin-users';

/**
 * DelAdminUser by one id. The API also takes `;` lists and `all`, which deletes EVERY admin user
 * (https://voximplant.com/docs/references/httpapi/adminusers):
 * this function sends exactly one positive integer, so it can never say `all`. After an unknown outcome the
 * admin is re-read: gone means done.
 */
export async function delAdminUser(client: VoximplantCaller, adminUserId: number, opts: CallOptions): Promise<void> {
  if (!Number.isSafeInteger(adminUserId) || adminUserId <= 0) {
    throw invalidRequest('DelAdminUser', 'adminUserId must be a positive integer');
  }
  const verify =
    opts.verify ?? (async () => (await getAdminById(client, adminUserId, verifyReadOptions(opts))) === undefined);
  await client.call('DelAdminUser', { required_admin_user_id: adminUserId }, { ...opts, verify }, z.unknown());
}
