import * as z from 'zod';

/** A hand-edited secret often has numbers quoted; a numeric string is accepted (as for credentials.json). */
const positiveInt = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
  z.number().int().positive(),
);

/**
 * An admin password secret (docs/CONTRACT.md#rotation): `{"admin_user_id": 12, "admin_user_name": "ops-bot",
 * "password": "...", "account_id": 123}`, `account_id` optional (the main account of the bridge's key when absent; a
 * child account's id when the admin lives there). The current password may be empty (an operator who does not know it
 * lets the first rotation set one): rotation changes it with the bridge's key, never with the old password. Other
 * fields an operator keeps in the secret are carried into every new version.
 */
export const adminPasswordSecretSchema = z.looseObject({
  admin_user_id: positiveInt,
  // Voximplant admin names are shorter than 50 characters (https://voximplant.com/docs/references/httpapi/adminusers).
  admin_user_name: z.string().min(1).max(49),
  password: z.string(),
  account_id: positiveInt.optional(),
});

export type AdminPasswordSecret = z.infer<typeof adminPasswordSecretSchema>;

export const ADMIN_PASSWORD_SECRET = 'the admin password secret';
