import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Counts the requests a DynamoDB client sends (each SDK attempt, retries included), with a middleware at the
 * finalizeRequest step, where one call becomes one HTTP request.
 */
export function countDynamoRequests(client: DynamoDBDocumentClient): { readonly count: number } {
  const counter = { count: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      counter.count += 1;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'benchCountDynamoRequests' },
  );
  return counter;
}
