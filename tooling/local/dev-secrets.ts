import { randomBytes } from 'node:crypto';
import { isStrongWebhookSecret } from '../../src/ingress/webhook-secrets';

/** The secrets `npm start` runs with; printed in the banner so a person can send requests at once. */
export interface DevSecrets {
  /** Standard Webhooks secret for `POST /events`. */
  webhookSecret: string;
  /** The exact Authorization header value `/hooks/okta` expects. */
  oktaAuthorization: string;
  /** The bearer token for `/scim/v2`. */
  scimToken: string;
}

export class DevConfigError extends Error {
  readonly code = 'dev_config_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'DevConfigError';
  }
}

/**
 * Fixed by DEV_WEBHOOK_SECRET, DEV_OKTA_AUTH, DEV_SCIM_TOKEN (docs/CONTRACT.md#commands) so scripts and bookmarks keep
 * working across restarts; otherwise fresh random values each start. Errors never quote a given value.
 */
export function devSecrets(env: Record<string, string | undefined>): DevSecrets {
  const webhookSecret = env.DEV_WEBHOOK_SECRET || `whsec_${randomBytes(24).toString('base64')}`;
  if (!isStrongWebhookSecret(webhookSecret)) {
    throw new DevConfigError('DEV_WEBHOOK_SECRET must be "whsec_" followed by base64 of at least 16 bytes');
  }
  const oktaAuthorization = env.DEV_OKTA_AUTH || `dev-okta-${randomBytes(16).toString('hex')}`;
  const scimToken = env.DEV_SCIM_TOKEN || `dev-scim-${randomBytes(24).toString('hex')}`;
  for (const [name, value] of [
    ['DEV_OKTA_AUTH', oktaAuthorization],
    ['DEV_SCIM_TOKEN', scimToken],
  ] as const) {
    // Header values: printable ASCII without line breaks, or the HTTP client refuses to send them.
    if (!/^[\x21-\x7e][\x20-\x7e]*$/.test(value)) {
      throw new DevConfigError(`${name} must be printable ASCII (it is sent as an HTTP header value)`);
    }
  }
  return { webhookSecret, oktaAuthorization, scimToken };
}
