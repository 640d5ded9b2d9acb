import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let client: SecretsManagerClient | undefined;

/**
 * One client per container. The SDK honours AWS_ENDPOINT_URL_SECRETS_MANAGER itself, so local runs and tests
 * point it at a local server without code changes.
 */
export function secretsManagerClient(): SecretsManagerClient {
  client ??= new SecretsManagerClient({ maxAttempts: 3 });
  return client;
}
