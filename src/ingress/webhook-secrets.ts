import * as z from 'zod';

/**
 * The secret named by WEBHOOK_SECRET_ID (docs/CONTRACT.md#configuration): `{"secrets":["whsec_..."]}`. More than one
 * entry is the rotation window: the sender signs with old and new, and either one verifies (Standard Webhooks "key
 * rotation"). At most 10: every request computes one HMAC per active secret.
 */
export const WHSEC_PATTERN = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

export const webhookSecretsSchema = z.object({
  secrets: z.array(z.string().regex(WHSEC_PATTERN, 'must be whsec_ followed by base64')).min(1).max(10),
});

export type WebhookSecrets = z.infer<typeof webhookSecretsSchema>;

/** A secret we hand out or sign with ourselves (dev secrets, the CLI): the pattern, and at least 16 random bytes. */
export function isStrongWebhookSecret(secret: string): boolean {
  return WHSEC_PATTERN.test(secret) && Buffer.from(secret.slice('whsec_'.length), 'base64').length >= 16;
}
