import { required } from '../src/config';
import { handleEventsRequest } from '../src/ingress/events-request';
import { ingressHandler } from '../src/ingress/ingress-handler';
import { webhookSecretsSchema } from '../src/ingress/webhook-secrets';
import { dynamoDocumentClient } from '../src/state/dynamo';
import { dynamoWebhookIdStore } from '../src/state/webhook-id-store';

/** `POST /events`: signed CloudEvents, verified, validated and queued. */
export const handler = ingressHandler({
  name: 'events',
  secret: {
    idVariable: 'WEBHOOK_SECRET_ID',
    schema: webhookSecretsSchema,
    label: 'the webhook secret',
    // A rotated webhook secret reaches every container within a minute. Senders overlap old and new signatures
    // during rotation (Standard Webhooks), so a minute of staleness refuses nothing.
    ttlMs: 60_000,
  },
  init: ({ config, secret, enqueue, protected: protectedAdmins }) => ({
    secrets: secret,
    enqueue,
    protected: protectedAdmins,
    toleranceSeconds: config.WEBHOOK_TOLERANCE_SECONDS,
    webhookIds: dynamoWebhookIdStore(dynamoDocumentClient(), required(config, 'STATE_TABLE')),
  }),
  handle: handleEventsRequest,
});
