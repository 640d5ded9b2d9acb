import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDynamoDocumentClient } from '../../src/state/dynamo';
import { localAwsClientConfig } from '../../tooling/local/state-table';

// SDK clients pointed at a local endpoint, with the dummy region and credentials the SDK insists on.
export function localDocumentClient(endpoint: string) {
  return createDynamoDocumentClient({ ...localAwsClientConfig, endpoint });
}

export function localSecretsManagerClient(endpoint: string, opts: { maxAttempts?: number } = {}) {
  return new SecretsManagerClient({ ...localAwsClientConfig, endpoint, maxAttempts: opts.maxAttempts ?? 1 });
}
