import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AdminAttribute } from '../events/admin-change';
import { type AttributeVersion, type OrderedChange, splitStale } from '../ordering/ordering-rule';
import {
  type AttributeVersions,
  eventAttr,
  ORDERED_ATTRIBUTES,
  type OrderingState,
  PENDING_FIELDS,
  pendingAttr,
  readAdminState,
  sourceAttr,
  timeAttr,
  valueAttr,
} from './admin-item';
import { isConditionalCheckFailed } from './conditional-check';
import { StateError } from './errors';
import { orderingItemKey } from './keys';

/**
 * The ordering guard's memory: per admin and per attribute, the last change that Voximplant took (src/ordering/
 * ordering-rule.ts decides what is stale against it). One item per admin holds every attribute, so a change that
 * sets several attributes records them in one conditional write.
 *
 * Versions are written only AFTER Voximplant took the change (or a re-read confirmed it): a change that is refused
 * or fails leaves no trace. Per attribute the item holds `<attr>_time_ms` and `<attr>_event_id` (the names of the
 * first version of this table, so older items read as they are) and, since values are stored, `<attr>_source` and
 * `<attr>_value` (never for the password, whose version alone is kept). An older item lacks the last two; the
 * rule then treats its `active` as a deactivation by an unknown source (fail-secure).
 */
export type OrderedAttribute = AdminAttribute;

export interface AdminRef {
  accountId?: number;
  adminUserId: number;
}

export type { AttributeVersion, AttributeVersions, OrderingState };

export interface RecordResult {
  recorded: OrderedAttribute[];
  /** Attributes another writer recorded a newer change of while this one was in flight. */
  overtaken: OrderedAttribute[];
}

export interface OrderingStoreOptions {
  /** Conditional writes tried before giving up with `state_contention`; each loss means another writer moved on. */
  maxAttempts?: number;
}

/**
 * The ordering versions and pending marks, whatever keeps them. `record` writes only the attributes the change still
 * wins under the ordering rule (src/ordering/ordering-rule.ts) against what is stored at that moment, and reports
 * the others as overtaken; `clearPending` removes only the marks of that event id.
 */
export interface OrderingStore {
  record(admin: AdminRef, attributes: readonly OrderedAttribute[], change: OrderedChange): Promise<RecordResult>;
  versions(admin: AdminRef): Promise<AttributeVersions>;
  state(admin: AdminRef): Promise<OrderingState>;
  markPending(
    admin: AdminRef,
    attributes: readonly OrderedAttribute[],
    change: OrderedChange,
    nowMs: number,
  ): Promise<void>;
  clearPending(admin: AdminRef, attributes: readonly OrderedAttribute[], eventId: string): Promise<void>;
}

export class DynamoOrderingStore implements OrderingStore {
  private readonly maxAttempts: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    opts: OrderingStoreOptions = {},
  ) {
    this.maxAttempts = opts.maxAttempts ?? 8;
  }

  /**
   * Records that Voximplant took `change` for `attributes`. The write is conditional on the ordering rule itself,
   * so a writer whose lease expired cannot overwrite a newer version: when the condition fails, the versions are
   * re-read and only the attributes this change still wins are written.
   */
  async record(admin: AdminRef, attributes: readonly OrderedAttribute[], change: OrderedChange): Promise<RecordResult> {
    if (!Number.isFinite(change.timeMs)) throw new RangeError('timeMs must be a finite epoch time in milliseconds');
    const wanted = ORDERED_ATTRIBUTES.filter((a) => attributes.includes(a));
    let known: AttributeVersions = {};
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const { apply, stale } = splitStale(wanted, change, known);
      if (apply.length === 0) return { recorded: [], overtaken: stale };
      try {
        await this.doc.send(this.recordCommand(admin, apply, change));
        return { recorded: apply, overtaken: stale };
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
    return (await this.state(admin)).applied;
  }

  async state(admin: AdminRef): Promise<OrderingState> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: orderingItemKey(admin.accountId, admin.adminUserId),
        ConsistentRead: true,
      }),
    );
    const { applied, pending } = readAdminState(admin.adminUserId, out.Item);
    return { applied, pending };
  }

  /**
   * Marks a change as sent to Voximplant with its outcome not known yet, before the call. A holder that dies
   * mid-call leaves the mark; the next writer then knows a change may have landed that the applied versions do not
   * show, and an older change waits for it (the redelivery of the marked change settles it) instead of landing
   * after it. The mark never makes anything stale and is removed once the change is recorded or refused.
   */
  async markPending(
    admin: AdminRef,
    attributes: readonly OrderedAttribute[],
    change: OrderedChange,
    nowMs: number,
  ): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':time': change.timeMs,
      ':eventId': change.eventId,
      ':source': change.source,
      ':at': nowMs,
    };
    const sets: string[] = [];
    attributes.forEach((a, i) => {
      names[`#t${i}`] = pendingAttr(a, 'time_ms');
      names[`#e${i}`] = pendingAttr(a, 'event_id');
      names[`#s${i}`] = pendingAttr(a, 'source');
      names[`#m${i}`] = pendingAttr(a, 'marked_at');
      sets.push(`#t${i} = :time`, `#e${i} = :eventId`, `#s${i} = :source`, `#m${i} = :at`);
      const value = a === 'password' ? undefined : change.set[a];
      if (value !== undefined) {
        names[`#v${i}`] = pendingAttr(a, 'value');
        values[`:v${i}`] = value;
        sets.push(`#v${i} = :v${i}`);
      }
    });
    if (sets.length === 0) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: orderingItemKey(admin.accountId, admin.adminUserId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** Removes this change's pending marks (only its own: a newer writer's marks stay). */
  async clearPending(admin: AdminRef, attributes: readonly OrderedAttribute[], eventId: string): Promise<void> {
    for (const a of attributes) {
      const names: Record<string, string> = {};
      PENDING_FIELDS.forEach((f, i) => {
        names[`#p${i}`] = pendingAttr(a, f);
      });
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: orderingItemKey(admin.accountId, admin.adminUserId),
            UpdateExpression: `REMOVE ${PENDING_FIELDS.map((_, i) => `#p${i}`).join(', ')}`,
            ConditionExpression: '#p1 = :eventId',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ':eventId': eventId },
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
  }

  private recordCommand(admin: AdminRef, attributes: OrderedAttribute[], change: OrderedChange): UpdateCommand {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':time': change.timeMs,
      ':eventId': change.eventId,
      ':source': change.source,
    };
    const sets: string[] = [];
    const conditions: string[] = [];
    attributes.forEach((a, i) => {
      const [t, e, s, v] = [`#t${i}`, `#e${i}`, `#s${i}`, `#v${i}`];
      Object.assign(names, { [t]: timeAttr(a), [e]: eventAttr(a), [s]: sourceAttr(a) });
      sets.push(`${t} = :time`, `${e} = :eventId`, `${s} = :source`);
      const value = a === 'password' ? undefined : change.set[a];
      if (value !== undefined) {
        names[v] = valueAttr(a);
        values[`:v${i}`] = value;
        sets.push(`${v} = :v${i}`);
      }
      // The ordering rule (src/ordering/ordering-rule.ts) as a condition: the same change again, an older version,
      // or an equal time, except that an activation does not win a tie against anything but an activation.
      const sameChange = `(${e} = :eventId AND (attribute_not_exists(${s}) OR ${s} = :source))`;
      const tie = a === 'active' && change.set.active === true ? `(${t} = :time AND ${v} = :true)` : `${t} = :time`;
      if (a === 'active' && change.set.active === true) values[':true'] = true;
      conditions.push(`(attribute_not_exists(${t}) OR ${t} < :time OR ${tie} OR ${sameChange})`);
    });
    return new UpdateCommand({
      TableName: this.tableName,
      Key: orderingItemKey(admin.accountId, admin.adminUserId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }
}
