import { SQSClient } from '@aws-sdk/client-sqs';

let client: SQSClient | undefined;

/** One SQS client per container; AWS_ENDPOINT_URL_SQS points it at a local emulator. */
export function sqsClient(): SQSClient {
  client ??= new SQSClient({ maxAttempts: 3 });
  return client;
}
