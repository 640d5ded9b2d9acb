import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AdminAttribute } from '../events/admin-change';
import { isConditionalCheckFailed } from './conditional-check';
import { StateError } from './errors';
import { orderingItemKey } from './keys';

/**
 * The ordering guard's memory (CONTRACT §6.3, §9): per admin and per attribute, the time and event id of the last
 * change claimed. A change is stale for an attribute when its time is strictly older than the recorded one; equal
 * times are applied. One item per admin holds every attribute, so a change that sets several attributes claims them
 * in one conditional write.
 */
/** Every attribute a change can set is ordered on its own (src/events/admin-change.ts). */
export type OrderedAttribute = AdminAttribute;

export interface AdminRef {
  accountId?: number;
  adminUserId: number;
}

export interface AttributeVersion {
  timeMs: number;
  eventId: string;
}

export type AttributeVersions = Partial<Record<OrderedAttribute, AttributeVersion>>;

export interface ClaimResult {
  claimed: OrderedAttribute[];
  stale: OrderedAttribute[];
}

export interface OrderingStoreOptions {
  /** Conditional writes tried before giving up with `state_contention`; each loss means another writer moved on. */
  maxAttempts?: number;
}

const ORDERED_ATTRIBUTES = ['active', 'name', 'displayName', 'password'] as const satisfies readonly OrderedAttribute[];

const timeAttr = (a: OrderedAttribute) => `${a}_time_ms`;
const eventAttr = (a: OrderedAttribute) => `${a}_event_id`;

/**
 * The ordering rule itself (CONTRACT §9): an attribute is stale when its recorded time is strictly newer than the
 * change's; equal times are applied. `claim` enforces it with a conditional write; a dry run only reads.
 */
export function splitStale(
  wanted: readonly OrderedAttribute[],
  versions: AttributeVersions,
  timeMs: number,
): ClaimResult {
  const stale = wanted.filter((a) => (versions[a]?.timeMs ?? Number.NEGATIVE_INFINITY) > timeMs);
  return { claimed: wanted.filter((a) => !stale.includes(a)), stale };
}

export class OrderingStore {
  private readonly maxAttempts: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    opts: OrderingStoreOptions = {},
  ) {
    this.maxAttempts = opts.maxAttempts ?? 8;
  }

  /**
   * Claims attributes for a change at timeMs BEFORE the Voximplant call: an attribute whose recorded time is
   * strictly newer is stale; the rest are recorded (time + eventId) with a conditional update so that two concurrent
   * writers cannot both win with the older change.
   *
   * The first write is optimistic (no read): in the usual case, changes arriving in order, a claim is one call. When
   * the condition fails, another writer recorded a newer time for one of the attributes: re-read, recompute, retry.
   */
  async claim(admin: AdminRef, attributes: OrderedAttribute[], timeMs: number, eventId: string): Promise<ClaimResult> {
    if (!Number.isFinite(timeMs)) throw new RangeError('timeMs must be a finite epoch time in milliseconds');
    const wanted = ORDERED_ATTRIBUTES.filter((a) => attributes.includes(a));
    let known: AttributeVersions | undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const { claimed, stale } = splitStale(wanted, known ?? {}, timeMs);
      if (claimed.length === 0) return { claimed, stale };
      try {
        await this.doc.send(this.claimCommand(admin, claimed, timeMs, eventId));
        return { claimed, stale };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
      known = await this.versions(admin);
    }
    throw new StateError(
      'state_contention',
      `ordering versions of admin ${admin.adminUserId} kept changing; gave up after ${this.maxAttempts} attempts`,
    );
  }

  async versions(admin: AdminRef): Promise<AttributeVersions> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: orderingItemKey(admin.accountId, admin.adminUserId),
        ConsistentRead: true,
      }),
    );
    const item = out.Item ?? {};
    const versions: AttributeVersions = {};
    for (const a of ORDERED_ATTRIBUTES) {
      const timeMs = item[timeAttr(a)];
      const eventId = item[eventAttr(a)];
      if (timeMs === undefined) continue;
      if (typeof timeMs !== 'number' || typeof eventId !== 'string') {
        throw new StateError('state_record_malformed', `ordering versions of admin ${admin.adminUserId} are malformed`);
      }
      versions[a] = { timeMs, eventId };
    }
    return versions;
  }

  private claimCommand(admin: AdminRef, claimed: OrderedAttribute[], timeMs: number, eventId: string): UpdateCommand {
    const names: Record<string, string> = {};
    const sets: string[] = [];
    const conditions: string[] = [];
    claimed.forEach((a, i) => {
      names[`#t${i}`] = timeAttr(a);
      names[`#e${i}`] = eventAttr(a);
      sets.push(`#t${i} = :time`, `#e${i} = :eventId`);
      // Equal times win too (CONTRACT §9), so a redelivery of the same change can claim again.
      conditions.push(`(attribute_not_exists(#t${i}) OR #t${i} <= :time)`);
    });
    return new UpdateCommand({
      TableName: this.tableName,
      Key: orderingItemKey(admin.accountId, admin.adminUserId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':time': timeMs, ':eventId': eventId },
    });
  }
}
