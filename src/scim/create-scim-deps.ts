import { createApplyDeps } from '../apply/create-apply-deps';
import { type Config, required } from '../config';
import { protectedAdmins } from '../events/protected-admins';
import type { Logger } from '../observability/logger';
import { secretsManagerJson } from '../secrets/json-secret';
import { secretsManagerClient } from '../secrets/secrets-manager-client';
import { dynamoDocumentClient } from '../state/dynamo';
import { DynamoScimRecordStore } from '../state/scim-records';
import type { ScimConfig } from './scim-config';
import type { ScimDeps } from './scim-deps';
import { scimTokenSecretSchema } from './token-secret';

/** A removed token stops working in every container within this time; an added one starts within it. */
const TOKEN_TTL_MS = 60_000;

/** The SCIM function's composition root: the same apply core as the worker, the token secret, the SCIM records. */
export function createScimDeps(config: Config, scimConfig: ScimConfig, logger: Logger): ScimDeps {
  return {
    tokens: secretsManagerJson({
      client: secretsManagerClient(),
      secretId: required(config, 'SCIM_TOKEN_SECRET_ID'),
      schema: scimTokenSecretSchema,
      label: 'the SCIM token secret',
      ttlMs: TOKEN_TTL_MS,
    }),
    records: new DynamoScimRecordStore(dynamoDocumentClient(), required(config, 'STATE_TABLE')),
    apply: createApplyDeps(config, logger),
    protectedAdmins: protectedAdmins(config.PROTECTED_ADMIN_USERS),
    config: scimConfig,
  };
}
