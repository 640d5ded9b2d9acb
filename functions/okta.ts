import { ingressHandler } from '../src/ingress/ingress-handler';
import { oktaHookSecretSchema } from '../src/ingress/okta-hook-secret';
import { handleOktaRequest } from '../src/ingress/okta-request';

/**
 * `GET|POST /hooks/okta`. Okta waits 3 s for an answer to an event hook delivery
 * (https://developer.okta.com/docs/concepts/event-hooks/): the work here is authenticate, map, enqueue.
 */
export const handler = ingressHandler({
  name: 'okta',
  secret: {
    idVariable: 'OKTA_HOOK_SECRET_ID',
    schema: oktaHookSecretSchema,
    label: 'the Okta hook secret',
    // The configured Authorization value is re-read every minute, so a changed secret takes effect without a deploy.
    ttlMs: 60_000,
  },
  init: ({ config, secret, enqueue, protected: protectedAdmins }) => ({
    authorization: secret,
    enqueue,
    nameFrom: config.OKTA_NAME_FROM,
    protected: protectedAdmins,
  }),
  handle: handleOktaRequest,
});
