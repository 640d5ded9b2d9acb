import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditEntry, auditEntrySchema } from './audit-entry';
import { AUDIT_AT_ATTRIBUTE, AUDIT_DAY_ATTRIBUTE, AUDIT_DAY_INDEX, auditPartitionKey } from './audit-keys';

/** Records read back, and how many items were there but did not parse (shown, never silently dropped). */
export interface AuditRead {
  entries: AuditEntry[];
  unreadable: number;
}

function parseItems(items: readonly Record<string, unknown>[], nowSeconds: number, into: AuditRead): void {
  for (const item of items) {
    // DynamoDB TTL deletes late (src/state/keys.ts): an expired record counts as gone.
    if (typeof item.expires_at === 'number' && item.expires_at <= nowSeconds) continue;
    const parsed = auditEntrySchema.safeParse(item);
    if (parsed.success) into.entries.push(parsed.data);
    else into.unreadable += 1;
  }
}

/** An admin's history, oldest first: one Query, paged. */
export async function auditHistory(
  doc: DynamoDBDocumentClient,
  table: string,
  account: string,
  admin: string,
  now: () => number = Date.now,
): Promise<AuditRead> {
  const read: AuditRead = { entries: [], unreadable: 0 };
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': auditPartitionKey(account, admin) },
        ConsistentRead: true,
        ...(startKey !== undefined && { ExclusiveStartKey: startKey }),
      }),
    );
    parseItems(out.Items ?? [], Math.floor(now() / 1000), read);
    startKey = out.LastEvaluatedKey;
  } while (startKey !== undefined);
  return read;
}

const DAY_MS = 86_400_000;

/**
 * Deactivations and drift filed between `sinceMs` (inclusive) and `untilMs` (exclusive), oldest first: one Query of
 * the day index per UTC day. The index is eventually consistent (GSIs offer no strongly consistent reads,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html), so a record written a moment ago may
 * be missing; a report is read well after its period ends.
 */
export async function auditByPeriod(
  doc: DynamoDBDocumentClient,
  table: string,
  sinceMs: number,
  untilMs: number,
  now: () => number = Date.now,
): Promise<AuditRead> {
  const read: AuditRead = { entries: [], unreadable: 0 };
  const since = new Date(sinceMs).toISOString();
  const until = new Date(untilMs).toISOString();
  for (let day = Math.floor(sinceMs / DAY_MS) * DAY_MS; day < untilMs; day += DAY_MS) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: AUDIT_DAY_INDEX,
          KeyConditionExpression: '#day = :day AND #at BETWEEN :since AND :until',
          ExpressionAttributeNames: { '#day': AUDIT_DAY_ATTRIBUTE, '#at': AUDIT_AT_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':day': new Date(day).toISOString().slice(0, 10),
            ':since': since,
            ':until': until,
          },
          ...(startKey !== undefined && { ExclusiveStartKey: startKey }),
        }),
      );
      parseItems(
        (out.Items ?? []).filter((i) => i[AUDIT_AT_ATTRIBUTE] !== until),
        Math.floor(now() / 1000),
        read,
      );
      startKey = out.LastEvaluatedKey;
    } while (startKey !== undefined);
  }
  return read;
}
