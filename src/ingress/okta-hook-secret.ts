import * as z from 'zod';

/**
 * The secret named by OKTA_HOOK_SECRET_ID (docs/CONTRACT.md#configuration): `{"authorization":"..."}`, the exact
 * Authorization header value configured on the Okta Event Hook. Okta sends it verbatim and signs nothing
 * (https://developer.okta.com/docs/concepts/event-hooks/).
 */
export const oktaHookSecretSchema = z.object({ authorization: z.string().min(1) });

export type OktaHookSecret = z.infer<typeof oktaHookSecretSchema>;
