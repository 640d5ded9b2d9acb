import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from './audit-entry';
import { AUDIT_AT_ATTRIBUTE, AUDIT_DAY_ATTRIBUTE, auditDay, auditItemKey, auditTime, inDayIndex } from './audit-keys';

const DAY_SECONDS = 86_400;

/**
 * Writes one audit record with one PutItem, depending on nothing else the caller writes, so it can run alongside the
 * change's own state writes. It throws what DynamoDB throws; callers that must not fail on it use an AuditSink.
 */
export async function appendAudit(
  doc: DynamoDBDocumentClient,
  table: string,
  entry: AuditEntry,
  retentionDays: number,
): Promise<void> {
  const at = auditTime(entry);
  const expiresAt = Math.floor(Date.parse(entry.decided_at) / 1000) + retentionDays * DAY_SECONDS;
  await doc.send(
    new PutCommand({
      TableName: table,
      Item: {
        ...auditItemKey(entry),
        ...entry,
        ...(inDayIndex(entry) && { [AUDIT_DAY_ATTRIBUTE]: auditDay(at), [AUDIT_AT_ATTRIBUTE]: at }),
        expires_at: expiresAt,
      },
    }),
  );
}
