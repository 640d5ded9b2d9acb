import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DeleteCommandInput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * A conditional write lost. Checked by name as well as class: DynamoDB Local answers the same error name, and a second
 * copy of the SDK in a bundle would make `instanceof` fail.
 */
export function isConditionalCheckFailed(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

/**
 * A conditional delete of an item this process owns (a lease, an in-progress record). When the condition no longer
 * holds the item is gone or belongs to someone else, and there is nothing of ours to delete: that is not an error.
 */
export async function deleteIfOurs(doc: DynamoDBDocumentClient, input: DeleteCommandInput): Promise<void> {
  try {
    await doc.send(new DeleteCommand(input));
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}
