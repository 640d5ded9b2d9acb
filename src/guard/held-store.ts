import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../state/conditional-check';
import { StateError } from '../state/errors';
import { HELD_PK, heldAdminPrefix, heldItemKey } from './guard-keys';
import { byOrderingTime, type HeldChange, heldChangeSchema } from './held-change';

/** Held changes, whatever keeps them (the state table in Lambda; tests may use the same on dynalite). */
export interface HeldStore {
  /** Stores it unless a change with the same hold id is held for the admin already: `false` then. */
  put(held: HeldChange): Promise<boolean>;
  /** The admin's held changes, in release order. */
  forAdmin(accountId: number | undefined, adminUserId: number): Promise<HeldChange[]>;
  /** Every held change, in release order. */
  list(): Promise<HeldChange[]>;
  /** Removes it; `false` when it was gone already (released or discarded by someone else). */
  remove(held: HeldChange): Promise<boolean>;
}

function keyOf(held: HeldChange) {
  return heldItemKey(held.change.target.accountId, held.admin_user_id, held.hold_id);
}

export class DynamoHeldStore implements HeldStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(held: HeldChange): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          // The change is stored as JSON text, so it comes back exactly as written (no number or set conversion).
          Item: { ...keyOf(held), held: JSON.stringify(held) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async forAdmin(accountId: number | undefined, adminUserId: number): Promise<HeldChange[]> {
    return this.query(heldAdminPrefix(accountId, adminUserId));
  }

  async list(): Promise<HeldChange[]> {
    return this.query(undefined);
  }

  async remove(held: HeldChange): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({ TableName: this.tableName, Key: keyOf(held), ConditionExpression: 'attribute_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  private async query(prefix: string | undefined): Promise<HeldChange[]> {
    const out: HeldChange[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: prefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': HELD_PK, ...(prefix !== undefined && { ':prefix': prefix }) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) out.push(parseHeld(item));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return out.sort(byOrderingTime);
  }
}

function parseHeld(item: Record<string, unknown>): HeldChange {
  let value: unknown;
  try {
    value = typeof item.held === 'string' ? JSON.parse(item.held) : undefined;
  } catch {
    value = undefined;
  }
  const parsed = heldChangeSchema.safeParse(value);
  if (!parsed.success) {
    throw new StateError('state_record_malformed', `held change ${String(item.sk)} has an unexpected shape`);
  }
  return parsed.data;
}
