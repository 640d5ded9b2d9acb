import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { orderingItemKey } from '../state/keys';
import type { AdminRef } from '../state/ordering-store';

/** The admins the bridge has changed, per account: `undefined` is the main account. */
export type ManagedAdmins = Map<number | undefined, number[]>;

const ORDERING_PK = /^admin#(main|\d+)#(\d+)$/;

/**
 * Every admin the bridge holds ordering versions for (src/state/keys.ts: `admin#<account>#<id>`), read-only. A
 * paginated Scan with a filter reads the whole table once: for a job every 15 minutes over one small item per admin
 * that is cheaper and simpler than keeping a second index of admins up to date on every write
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html). Only the key is projected.
 */
export async function managedAdmins(doc: DynamoDBDocumentClient, table: string): Promise<ManagedAdmins> {
  const orderingSk = orderingItemKey(undefined, 1).sk;
  const found: ManagedAdmins = new Map();
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({
        TableName: table,
        ProjectionExpression: 'pk',
        FilterExpression: 'sk = :sk AND begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':sk': orderingSk, ':prefix': 'admin#' },
        ConsistentRead: true,
        ...(startKey !== undefined && { ExclusiveStartKey: startKey }),
      }),
    );
    for (const item of out.Items ?? []) {
      const ref = adminRefOf(item.pk);
      if (ref === undefined) continue;
      const list = found.get(ref.accountId) ?? [];
      list.push(ref.adminUserId);
      found.set(ref.accountId, list);
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey !== undefined);
  for (const ids of found.values()) ids.sort((a, b) => a - b);
  return found;
}

/** The admin an ordering item's `pk` names, or undefined for a key of another shape. */
export function adminRefOf(pk: unknown): AdminRef | undefined {
  if (typeof pk !== 'string') return undefined;
  const match = ORDERING_PK.exec(pk);
  if (match === null) return undefined;
  const [, account, id] = match;
  const adminUserId = Number(id);
  if (!Number.isSafeInteger(adminUserId) || adminUserId <= 0) return undefined;
  return account === 'main' ? { adminUserId } : { accountId: Number(account), adminUserId };
}
