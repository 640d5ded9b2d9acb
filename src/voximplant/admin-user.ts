import * as z from 'zod';
import type { VoximplantClient } from './client';

/**
 * An admin user as GetAdminUsers returns it (https://voximplant.com/docs/references/httpapi/adminusers).
 * `admin_user_active` is the "disable" switch: whether login is allowed. `modified` is UTC `YYYY-MM-DD HH:mm:ss`;
 * `access_entries` (API function names) only with `with_access_entries=true`. Other fields (admin_roles, ...) are
 * ignored.
 */
export const adminUserSchema = z.object({
  admin_user_id: z.number().int(),
  admin_user_name: z.string(),
  admin_user_display_name: z.string().default(''),
  admin_user_active: z.boolean(),
  modified: z.string().optional(),
  access_entries: z.array(z.string()).optional(),
});

export type AdminUser = z.infer<typeof adminUserSchema>;

/** What the typed operations need of the client; the CLI and tests can hand in anything with `call`. */
export type VoximplantCaller = Pick<VoximplantClient, 'call'>;
