import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * A document client with the options the stores rely on: `removeUndefinedValues`, because optional fields of an
 * outcome may be `undefined` and DynamoDB rejects undefined attribute values. Tests and the local runtime pass an
 * endpoint; Lambda passes nothing and the SDK reads AWS_ENDPOINT_URL_DYNAMODB and the region itself.
 */
export function createDynamoDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3, ...config }), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

let doc: DynamoDBDocumentClient | undefined;

/** One document client per container, so connections are reused across invocations. */
export function dynamoDocumentClient(): DynamoDBDocumentClient {
  doc ??= createDynamoDocumentClient();
  return doc;
}
