import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AdminAttribute } from '../events/admin-change';
import { LEASE_EXPIRES_AT, LEASE_OWNER, readAdminState } from './admin-item';
import { AdminItemExpressions } from './admin-item-expressions';
import type { ChangeClaim, ChangeRelease, ChangeSettlement, ChangeStore, ClaimAnswer } from './change-store';
import { isConditionalCheckFailed } from './conditional-check';
import {
  beginAnswerOf,
  completedPut,
  completedUpdate,
  type DynamoIdempotencyStore,
  idempotencyRecordOf,
  inProgressPut,
} from './idempotency-store';
import { accountSegment, type ItemKey, orderingItemKey } from './keys';
import type { AdminRef, DynamoOrderingStore } from './ordering-store';

/** Claims lost to a record that vanished or a transaction in flight on the same items, before answering busy. */
const MAX_CLAIM_ATTEMPTS = 3;

/**
 * The per-admin lease of the earlier table layout (its own item, sk `lock`). A claim checks that no holder of that
 * layout is still in flight, so a deploy that replaces the functions mid-change keeps one change per admin at a
 * time; such items expire by TTL a day after their lease.
 */
export function legacyLockItemKey(admin: AdminRef): ItemKey {
  return { pk: `admin#${accountSegment(admin.accountId)}#${admin.adminUserId}`, sk: 'lock' };
}

/**
 * The change store on the state table, in two DynamoDB requests per applied change:
 * - claim: one TransactWriteItems (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html)
 *   that puts the in_progress idempotency record and updates the admin's item (lease and pending marks) under the
 *   ordering rule as a condition, with a condition check on the earlier layout's lease item. A lost condition
 *   cancels the whole transaction and its reason carries the item as it was (`ReturnValuesOnConditionCheckFailure:
 *   ALL_OLD`), so a duplicate costs this one request and a refused claim needs no read to say why.
 * - settle: one TransactWriteItems that completes the idempotency record and, under our lease, stores the versions,
 *   removes the marks and releases the lease.
 * Both carry a ClientRequestToken, so the SDK's retry of a transaction whose answer was lost does not run it twice
 * (DynamoDB keeps the token ten minutes).
 */
export class DynamoChangeStore<O extends Record<string, unknown>> implements ChangeStore<O> {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly idempotency: DynamoIdempotencyStore<O>,
    private readonly ordering: DynamoOrderingStore,
    private readonly now: () => number = Date.now,
  ) {}

  async peek(key: string, fingerprint: string) {
    return beginAnswerOf(await this.idempotency.get(key), fingerprint, this.now());
  }

  async claim(c: ChangeClaim): Promise<ClaimAnswer<O>> {
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
      const now = this.now();
      try {
        await this.doc.send(this.claimCommand(c, now));
        return { state: 'claimed' };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (reasons === undefined) throw error;
        const [idem, admin, legacy] = reasons;
        if (idem?.Code === 'ConditionalCheckFailed') {
          const record =
            idem.Item !== undefined
              ? idempotencyRecordOf(c.key, unmarshall(idem.Item), this.now(), this.idempotency.outcomeSchema)
              : await this.idempotency.get(c.key);
          const answer = beginAnswerOf(record, c.fingerprint, this.now());
          // Released or expired between the transaction and now: the next claim can win.
          if (answer !== undefined) return answer;
          continue;
        }
        if (admin?.Code === 'ConditionalCheckFailed') {
          const item = admin.Item !== undefined ? unmarshall(admin.Item) : await this.readAdminItem(c.admin);
          return { state: 'refused', admin: readAdminState(c.admin.adminUserId, item) };
        }
        if (legacy?.Code === 'ConditionalCheckFailed') return { state: 'busy' };
        // TransactionConflict: another transaction on one of these items was in flight.
        if (!reasons.some((r) => r.Code === 'TransactionConflict')) throw error;
      }
    }
    return { state: 'busy' };
  }

  async settle(s: ChangeSettlement<O>): Promise<{ overtaken: AdminAttribute[] }> {
    const now = this.now();
    const x = new AdminItemExpressions();
    const sets = s.attributes.flatMap((a) => x.setVersion(a, s.change));
    const removes = [x.name(LEASE_OWNER), x.name(LEASE_EXPIRES_AT), ...s.attributes.flatMap((a) => x.removePending(a))];
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                ...completedUpdate(s.key, s.fingerprint, s.outcome, now, this.idempotency.retentionSeconds),
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: orderingItemKey(s.admin.accountId, s.admin.adminUserId),
                UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
                // Under our lease nobody else wrote versions or marks of this admin since the claim.
                ConditionExpression: `${x.name(LEASE_OWNER)} = ${x.value(s.key)}`,
                ExpressionAttributeNames: x.names,
                ExpressionAttributeValues: x.values,
              },
            },
          ],
          ClientRequestToken: randomUUID(),
        }),
      );
      return { overtaken: [] };
    } catch (error) {
      if (cancellationReasons(error) === undefined) throw error;
    }
    // The lease ran out during the call and another change took it, or the record is not ours any more: each part
    // on its own, under its own condition (the versions under the ordering rule, so a newer one stays).
    const recorded = await this.ordering.record(s.admin, s.attributes, s.change);
    await this.ordering.clearPending(s.admin, s.attributes, s.change.eventId);
    await this.releaseLease(s.admin, s.key, []);
    await this.idempotency.complete(s.key, s.fingerprint, s.outcome);
    return { overtaken: recorded.overtaken };
  }

  /** Both in parallel: each is conditional on being ours, and a lost one only waits for its lease to run out. */
  async release(r: ChangeRelease): Promise<void> {
    await Promise.all([
      this.idempotency.release(r.key, r.fingerprint),
      (async () => {
        const released = await this.releaseLease(r.admin, r.key, r.clearPending ? r.attributes : []);
        if (!released && r.clearPending) await this.ordering.clearPending(r.admin, r.attributes, r.eventId);
      })(),
    ]);
  }

  /** A completed record where there is none yet; a record already there (a concurrent delivery) stays. */
  async closeUnclaimed(key: string, fingerprint: string, outcome: O): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          ...completedPut(key, fingerprint, outcome, this.now(), this.idempotency.retentionSeconds),
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  private claimCommand(c: ChangeClaim, now: number): TransactWriteCommand {
    const x = new AdminItemExpressions();
    const owner = x.value(c.key);
    const conditions = [
      `(attribute_not_exists(${x.name(LEASE_OWNER)}) OR ${x.name(LEASE_EXPIRES_AT)} < ${x.value(now)} OR ${x.name(LEASE_OWNER)} = ${owner})`,
    ];
    const sets = [`${x.name(LEASE_OWNER)} = ${owner}`, `${x.name(LEASE_EXPIRES_AT)} = ${x.value(now + c.leaseMs)}`];
    for (const a of c.attributes) {
      conditions.push(x.notStaleApplied(a, c.change), x.pendingAllows(a, c.change, c.pendingCutoffMs));
      sets.push(...x.setPending(a, c.change, now));
    }
    if (c.attributes.includes('active') && c.change.set.active === true && !c.reactivationListed) {
      // REACTIVATION_SOURCES (src/ordering/reactivation-policy.ts): never deactivated, last set active, or
      // deactivated by this very source. An item without a stored value counts as deactivated by someone else.
      conditions.push(
        `(attribute_not_exists(${x.name('active_time_ms')}) OR ${x.name('active_value')} = ${x.value(true)} OR ` +
          `${x.name('active_source')} = ${x.value(c.change.source)})`,
      );
    }
    const idem = inProgressPut(c.key, c.fingerprint, c.leaseMs, now, this.idempotency.retentionSeconds);
    return new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: this.tableName, ...idem, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        {
          Update: {
            TableName: this.tableName,
            Key: orderingItemKey(c.admin.accountId, c.admin.adminUserId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: conditions.join(' AND '),
            ExpressionAttributeNames: x.names,
            ExpressionAttributeValues: x.values,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: legacyLockItemKey(c.admin),
            ConditionExpression: 'attribute_not_exists(pk) OR lease_expires_at < :now OR #owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':now': now, ':owner': c.key },
          },
        },
      ],
      ClientRequestToken: randomUUID(),
    });
  }

  /** Removes our lease (and the given attributes' marks); false when the lease is not ours any more. */
  private async releaseLease(admin: AdminRef, owner: string, clear: readonly AdminAttribute[]): Promise<boolean> {
    const x = new AdminItemExpressions();
    const removes = [x.name(LEASE_OWNER), x.name(LEASE_EXPIRES_AT), ...clear.flatMap((a) => x.removePending(a))];
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderingItemKey(admin.accountId, admin.adminUserId),
          UpdateExpression: `REMOVE ${removes.join(', ')}`,
          ConditionExpression: `${x.name(LEASE_OWNER)} = ${x.value(owner)}`,
          ExpressionAttributeNames: x.names,
          ExpressionAttributeValues: x.values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  private async readAdminItem(admin: AdminRef): Promise<Record<string, unknown> | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: orderingItemKey(admin.accountId, admin.adminUserId),
        ConsistentRead: true,
      }),
    );
    return out.Item;
  }
}

interface CancellationReason {
  Code?: string;
  Item?: Record<string, AttributeValue>;
}

/** The per-item reasons of a cancelled transaction, in request order; undefined for any other error. */
function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  // Checked by name: a second copy of the SDK in a bundle would make `instanceof` fail.
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons;
  return Array.isArray(reasons) ? reasons : [];
}
