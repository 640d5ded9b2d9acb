import { dynamoAuditSink } from '../src/audit/audit-sink';
import { loadConfig, required } from '../src/config';
import { createLogger } from '../src/observability/logger';
import { count, createMetrics, publishCounted } from '../src/observability/metrics';
import { createScimDeps } from '../src/scim/create-scim-deps';
import { loadScimConfig } from '../src/scim/scim-config';
import { scimLambdaHandler } from '../src/scim/scim-lambda-handler';
import { dynamoDocumentClient } from '../src/state/dynamo';

/**
 * `ANY /scim/v2/{proxy+}` (docs/CONTRACT.md#scim): a Users-only SCIM 2.0 service provider for Entra ID, Okta and others,
 * applying changes synchronously through the same apply core as the worker. See docs/SCIM.md.
 */
const logger = createLogger('scim');
const metrics = createMetrics('scim');

export const handler = scimLambdaHandler({
  logger,
  init: () => {
    const config = loadConfig();
    return {
      ...createScimDeps(config, loadScimConfig(), logger),
      count: (name: string, value?: number) => count(metrics, name, value),
      audit: dynamoAuditSink({
        doc: dynamoDocumentClient(),
        table: required(config, 'STATE_TABLE'),
        retentionDays: config.AUDIT_RETENTION_DAYS,
        logger,
        metrics,
      }),
    };
  },
  // Only when something was counted: an empty flush makes Powertools warn on every invocation.
  after: () => publishCounted(metrics),
});
