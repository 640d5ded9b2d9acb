import * as z from 'zod';
import { ConfigError } from '../config';

/**
 * How `rotate` proves a new admin password:
 * - `login` (default): the admin logs in with it (account_id + admin_user_name + admin_user_password,
 *   docs/CONTRACT.md#rotation).
 *   An admin whose login is off (admin_user_active=false) cannot log in at all; for that admin the check by id is
 *   used instead, and the log says so.
 * - `admin-by-id`: for accounts where the admin password login is not available. The admin is read by id with the
 *   bridge's key: it exists and is the one the secret names. Weaker (the password itself is not proven), so it must be
 *   chosen explicitly: a refused login and a disabled login scheme both answer "Authorization failed" (100) as far as
 *   anyone documents (apiclient-php `src/Enum/Errors.php` has no separate code), so falling back on that answer would
 *   let every wrong password pass.
 */
const PASSWORD_CHECK_MODES = ['login', 'admin-by-id'] as const;
export type PasswordCheckMode = (typeof PASSWORD_CHECK_MODES)[number];

const rotationConfigSchema = z.object({
  ROTATION_PASSWORD_CHECK: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : undefined),
    z.enum(PASSWORD_CHECK_MODES).default('login'),
  ),
});

export type RotationConfig = z.infer<typeof rotationConfigSchema>;

/** The rotation functions' own variables (the shared ones are in src/config.ts). */
export function loadRotationConfig(env: Record<string, string | undefined> = process.env): RotationConfig {
  const parsed = rotationConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      `invalid configuration: ROTATION_PASSWORD_CHECK must be one of ${PASSWORD_CHECK_MODES.join(', ')}`,
    );
  }
  return parsed.data;
}
