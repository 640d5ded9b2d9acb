import * as z from 'zod';
import { type HttpRequest, headerValue } from '../http/http-message';
import { equalsConstantTime } from '../ingress/constant-time';

/**
 * The secret named by SCIM_TOKEN_SECRET_ID (docs/CONTRACT.md#configuration): `{"tokens": ["..."]}`. Several tokens may
 * be active at once, so a token is rotated by adding the new one, updating the IdP, then removing the old one.
 */
export const scimTokenSecretSchema = z.object({ tokens: z.array(z.string().min(1)).min(1) });

export type ScimTokenSecret = z.infer<typeof scimTokenSecretSchema>;

/**
 * Whether the request carries `Authorization: Bearer <one of the tokens>` (Entra's "Secret Token", Okta's
 * "HTTP Header" authentication). Every token is compared, in constant time, whatever matched earlier, so the time
 * taken says nothing about which token or how much of one was right.
 */
export function hasValidBearerToken(request: Pick<HttpRequest, 'headers'>, secret: ScimTokenSecret): boolean {
  const header = headerValue(request, 'authorization');
  const match = header === undefined ? null : /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  const presented = match?.[1];
  if (presented === undefined) return false;
  let valid = false;
  for (const token of secret.tokens) {
    if (equalsConstantTime(presented, token)) valid = true;
  }
  return valid;
}
