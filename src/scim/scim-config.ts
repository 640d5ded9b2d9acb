import * as z from 'zod';
import { optionalString, parseEnv } from '../config';

/**
 * The SCIM function's own settings, beside those of docs/CONTRACT.md#configuration (read with `loadConfig`):
 * - `SCIM_DEFAULT_ROLE_NAME`: the Voximplant admin role a user created by SCIM gets (AddAdminUser
 *   `admin_role_name`). Unset: no role is sent, and the new admin holds no role until someone grants one: the least
 *   privilege, and nothing can be granted by an IdP by mistake.
 * - `SCIM_DELETE_MODE`: what `DELETE /Users/{id}` does. `deactivate` (default): admin_user_active=false and a
 *   tombstone, reversible, and the audit trail stays. `delete`: DelAdminUser, irreversible.
 */
const scimConfigSchema = z.object({
  SCIM_DEFAULT_ROLE_NAME: optionalString,
  SCIM_DELETE_MODE: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? 'deactivate' : v.trim().toLowerCase()))
    .pipe(z.enum(['deactivate', 'delete'])),
});

export type ScimConfig = z.infer<typeof scimConfigSchema>;

export function loadScimConfig(env: Record<string, string | undefined> = process.env): ScimConfig {
  return parseEnv(scimConfigSchema, env, 'SCIM configuration');
}
