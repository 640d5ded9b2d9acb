import { loadConfig, required } from '../src/config';
import { protectedAdmins } from '../src/events/protected-admins';
import { lambdaHttpHandler } from '../src/http/lambda-http-handler';
import { oktaHookSecretSchema } from '../src/ingress/okta-hook-secret';
import { handleOktaRequest } from '../src/ingress/okta-request';
import { createLogger } from '../src/observability/logger';
import { count, createMetrics, publishCounted } from '../src/observability/metrics';
import { sqsEnqueue } from '../src/queue/enqueue';
import { sqsClient } from '../src/queue/sqs-client';
import { secretsManagerJson } from '../src/secrets/json-secret';
import { secretsManagerClient } from '../src/secrets/secrets-manager-client';

/** `GET|POST /hooks/okta` (docs/CONTRACT.md#okta-hook). Okta gives up after 3 s: the work here is authenticate, map, enqueue. */
const logger = createLogger('okta');
const metrics = createMetrics('okta');

// The configured Authorization value is re-read every minute, so a changed secret takes effect without a deploy.
const SECRET_TTL_MS = 60_000;

export const handler = lambdaHttpHandler({
  logger,
  init: () => {
    const config = loadConfig();
    return {
      authorization: secretsManagerJson({
        client: secretsManagerClient(),
        secretId: required(config, 'OKTA_HOOK_SECRET_ID'),
        schema: oktaHookSecretSchema,
        label: 'the Okta hook secret',
        ttlMs: SECRET_TTL_MS,
      }),
      enqueue: sqsEnqueue(sqsClient(), required(config, 'QUEUE_URL')),
      nameFrom: config.OKTA_NAME_FROM,
      protected: protectedAdmins(config.PROTECTED_ADMIN_USERS),
    };
  },
  handle: (request, deps) =>
    handleOktaRequest({ ...deps, request, now: Date.now(), logger, count: (name, n) => count(metrics, name, n) }),
  after: () => publishCounted(metrics),
});
