/**
 * Points the product's per-container AWS clients (src/state/dynamo.ts, src/secrets/secrets-manager-client.ts,
 * src/queue/sqs-client.ts) at local endpoints, the way Lambda configuration would: through the SDK's own
 * environment variables. Must run before the first client is built; vitest runs each test file in its own process.
 * Returns a function that puts the environment back.
 */
export function useLocalAwsEnvironment(endpoints: { dynamodb?: string; secretsManager?: string; sqs?: string }) {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...(endpoints.dynamodb !== undefined && { AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb }),
    ...(endpoints.secretsManager !== undefined && { AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager }),
    ...(endpoints.sqs !== undefined && { AWS_ENDPOINT_URL_SQS: endpoints.sqs }),
  });
  return () => {
    process.env = saved;
  };
}
