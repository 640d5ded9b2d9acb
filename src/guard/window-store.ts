import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { isConditionalCheckFailed } from '../state/conditional-check';
import { expiresAtSeconds } from '../state/expiry';
import { windowItemKey } from './guard-keys';
import { allowedInBucket, bucketStart, type GuardedKind } from './window-estimate';

/** What the window says of one change. */
export type WindowAnswer = 'counted' | 'already_counted' | 'over';

export interface GuardWindow {
  /**
   * Counts the change against the account's window unless the threshold is reached: `counted` (apply it),
   * `already_counted` (the same change counted before in this bucket, a retry: apply it), `over` (hold it).
   */
  count(accountId: number | undefined, kind: GuardedKind, holdId: string, threshold: number): Promise<WindowAnswer>;
}

const counterSchema = z.object({ n: z.number().optional(), ids: z.set(z.string()).optional() }).loose();

/**
 * The per-account window on the state table. The decision is ONE conditional UpdateItem on ONE item (the current
 * bucket): `ADD n 1, ids {id}` only if this id is not in it yet and `n < allowed`, so concurrent containers can
 * never count past the threshold together, and the write can join a transaction with other writes later. The
 * previous bucket is closed (no container writes it once its time has passed), so its count is read once per
 * container and kept.
 */
export class DynamoGuardWindow implements GuardWindow {
  private readonly closed = new Map<string, number>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async count(
    accountId: number | undefined,
    kind: GuardedKind,
    holdId: string,
    threshold: number,
  ): Promise<WindowAnswer> {
    const now = this.now();
    const start = bucketStart(now, this.windowMs);
    const previous = await this.closedCount(accountId, kind, start - this.windowMs);
    const allowed = allowedInBucket(threshold, previous, (now - start) / this.windowMs);
    const key = windowItemKey(accountId, kind, start);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'ADD n :one, ids :ids SET expires_at = :expiresAt',
          ConditionExpression:
            '(attribute_not_exists(ids) OR NOT contains(ids, :id)) AND (attribute_not_exists(n) OR n < :allowed)',
          ExpressionAttributeValues: {
            ':one': 1,
            ':ids': new Set([holdId]),
            ':id': holdId,
            ':allowed': allowed,
            // Read as the previous bucket during the next window, then useless.
            ':expiresAt': expiresAtSeconds(start + 2 * this.windowMs, 0),
          },
        }),
      );
      return 'counted';
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // Over the threshold, or this very change counted before: one read tells which (only on this rare path).
      const item = counterSchema.parse((await this.read(key)) ?? {});
      return item.ids?.has(holdId) === true ? 'already_counted' : 'over';
    }
  }

  private async closedCount(accountId: number | undefined, kind: GuardedKind, start: number): Promise<number> {
    const key = windowItemKey(accountId, kind, start);
    const cacheKey = `${key.pk}|${key.sk}`;
    const cached = this.closed.get(cacheKey);
    if (cached !== undefined) return cached;
    const item = counterSchema.parse((await this.read(key)) ?? {});
    const n = item.n ?? 0;
    // Only the buckets that can still be "previous" are worth keeping.
    for (const k of this.closed.keys()) if (!k.endsWith(`#${start}`)) this.closed.delete(k);
    this.closed.set(cacheKey, n);
    return n;
  }

  private async read(key: { pk: string; sk: string }): Promise<unknown> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return out.Item;
  }
}
