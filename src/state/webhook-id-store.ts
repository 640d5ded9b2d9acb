import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './conditional-check';
import { epochSeconds, expiresAtSeconds } from './expiry';
import { webhookIdItemKey } from './keys';

/**
 * Standard Webhooks `webhook-id`s that `/events` has accepted, so one id never stands for two bodies. A sender
 * re-sends a message with the same id and body (and a new timestamp and signature); that stays accepted. The same
 * id with other bytes is refused for as long as a signature over the first message could still verify.
 */
export interface WebhookIdStore {
  /** Claims `webhookId` for `body` for `keepSeconds` from `nowMs` (our clock). */
  remember(webhookId: string, body: Buffer, nowMs: number, keepSeconds: number): Promise<'accepted' | 'conflict'>;
}

export function bodySha256(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * One conditional put: it is written when the id is unknown, when its record has expired (`expires_at` is checked
 * here, because DynamoDB TTL deletes late and DynamoDB Local never does), or when it holds the same body hash (an exact
 * resend, which also extends the record). Any other record makes the put fail: a different body under a known id.
 */
export function dynamoWebhookIdStore(doc: DynamoDBDocumentClient, tableName: string): WebhookIdStore {
  return {
    async remember(webhookId, body, nowMs, keepSeconds) {
      const hash = bodySha256(body);
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...webhookIdItemKey(webhookId),
              body_sha256: hash,
              expires_at: expiresAtSeconds(nowMs, keepSeconds),
            },
            ConditionExpression: 'attribute_not_exists(pk) OR expires_at <= :now OR body_sha256 = :hash',
            ExpressionAttributeValues: { ':now': epochSeconds(nowMs), ':hash': hash },
          }),
        );
        return 'accepted';
      } catch (error) {
        // DynamoDB's own errors pass through: the caller answers 503 and the sender retries.
        if (isConditionalCheckFailed(error)) return 'conflict';
        throw error;
      }
    },
  };
}
