import { loadConfig, required } from '../src/config';
import { protectedAdmins } from '../src/events/protected-admins';
import { lambdaHttpHandler } from '../src/http/lambda-http-handler';
import { handleEventsRequest } from '../src/ingress/events-request';
import { webhookSecretsSchema } from '../src/ingress/webhook-secrets';
import { createLogger } from '../src/observability/logger';
import { count, createMetrics, publishCounted } from '../src/observability/metrics';
import { sqsEnqueue } from '../src/queue/enqueue';
import { sqsClient } from '../src/queue/sqs-client';
import { secretsManagerJson } from '../src/secrets/json-secret';
import { secretsManagerClient } from '../src/secrets/secrets-manager-client';
import { dynamoDocumentClient } from '../src/state/dynamo';
import { dynamoWebhookIdStore } from '../src/state/webhook-id-store';

/**
 * `POST /events`. Collaborators are built once per container on the first request (so a
 * configuration error becomes a logged 500 problem, not a failed init with API Gateway's bare 500).
 */
const logger = createLogger('events');
const metrics = createMetrics('events');

// A rotated webhook secret reaches every container within this time. Senders overlap old and new signatures
// during rotation (Standard Webhooks), so a minute of staleness refuses nothing.
const SECRET_TTL_MS = 60_000;

export const handler = lambdaHttpHandler({
  logger,
  init: () => {
    const config = loadConfig();
    return {
      secrets: secretsManagerJson({
        client: secretsManagerClient(),
        secretId: required(config, 'WEBHOOK_SECRET_ID'),
        schema: webhookSecretsSchema,
        label: 'the webhook secret',
        ttlMs: SECRET_TTL_MS,
      }),
      enqueue: sqsEnqueue(sqsClient(), required(config, 'QUEUE_URL')),
      protected: protectedAdmins(config.PROTECTED_ADMIN_USERS),
      toleranceSeconds: config.WEBHOOK_TOLERANCE_SECONDS,
      webhookIds: dynamoWebhookIdStore(dynamoDocumentClient(), required(config, 'STATE_TABLE')),
    };
  },
  handle: (request, deps) =>
    handleEventsRequest({ ...deps, request, now: Date.now(), logger, count: (name, n) => count(metrics, name, n) }),
  after: () => publishCounted(metrics),
});
