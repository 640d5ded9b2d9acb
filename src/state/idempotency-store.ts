import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { deleteIfOurs, isConditionalCheckFailed } from './conditional-check';
import { StateError } from './errors';
import { expiresAtSeconds, isExpired } from './expiry';
import { idempotencyItemKey } from './keys';

/**
 * Idempotency records (docs/CONTRACT.md#idempotency), modelled on Powertools idempotency
 * (https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/): a record is `in_progress` with a
 * lease or `completed` with its outcome; an expired record is never stored as a state, it is worked out on read. The
 * apply step decides what to do with each state; this file only keeps them.
 *
 * Differences from Powertools, on purpose:
 * - The lease is the caller's remaining time in epoch milliseconds, compared with `Date.now()`-style clocks (the
 *   Powertools handler compares with `new Date().getUTCMilliseconds()`, the 0–999 ms part of the second, in
 *   `IdempotencyHandler.determineResultFromIdempotencyRecord`). A lease of 0 means
 *   "take over at once", never "no lease" (their `if (remainingTimeInMillis)` edge case).
 * - An expired lease is taken over only by the same fingerprint: a different payload under the same key is a permanent
 *   error (docs/CONTRACT.md#idempotency) even when the first attempt died, because it may already have reached
 *   Voximplant.
 * - A lost conditional put is followed by one consistent read of the record; that only happens for duplicates.
 */
export type IdempotencyRecord<O> =
  | { status: 'in_progress'; fingerprint: string; leaseExpiresAt: number }
  | { status: 'completed'; fingerprint: string; outcome: O; completedAt: string };

export type BeginResult<O> =
  | { state: 'started' }
  | { state: 'completed'; outcome: O }
  | { state: 'in_progress'; leaseExpiresAt: number }
  | { state: 'mismatch' };

/**
 * The idempotency records the apply step relies on, whatever keeps them. Every implementation honours the same
 * contract: `begin` starts a key that has no live record (or whose in_progress lease of the same fingerprint has run
 * out), and otherwise answers what is there; `complete` and `release` touch only an in_progress record of that
 * fingerprint; a record past its retention is gone on read, whether or not it has been deleted.
 */
export interface IdempotencyStore<O> {
  begin(key: string, fingerprint: string, leaseMs: number): Promise<BeginResult<O>>;
  complete(key: string, fingerprint: string, outcome: O): Promise<void>;
  release(key: string, fingerprint: string): Promise<void>;
  get(key: string): Promise<IdempotencyRecord<O> | undefined>;
}

export interface IdempotencyStoreOptions<O> {
  /** Validates a stored outcome when it is read back: the table is a boundary like any other. */
  outcomeSchema?: z.ZodType<O>;
  /** How long a record is kept, in seconds. Default 8 days (docs/CONTRACT.md#idempotency). */
  retentionSeconds?: number;
  /** Epoch milliseconds; injected by tests. */
  now?: () => number;
}

export const DEFAULT_RETENTION_SECONDS = 8 * 24 * 60 * 60;

const IN_PROGRESS = 'in_progress';
const COMPLETED = 'completed';
/** A begin that keeps finding the record gone (released or expired between put and read) gives up after this. */
const MAX_BEGIN_ATTEMPTS = 3;

const storedRecordSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal(IN_PROGRESS),
    fingerprint: z.string(),
    lease_expires_at: z.number(),
    expires_at: z.number(),
  }),
  z.object({
    status: z.literal(COMPLETED),
    fingerprint: z.string(),
    outcome: z.record(z.string(), z.unknown()),
    completed_at: z.string(),
    expires_at: z.number(),
  }),
]);

export class DynamoIdempotencyStore<O extends Record<string, unknown>> implements IdempotencyStore<O> {
  readonly retentionSeconds: number;
  private readonly now: () => number;
  readonly outcomeSchema: z.ZodType<O> | undefined;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    opts: IdempotencyStoreOptions<O> = {},
  ) {
    this.retentionSeconds = opts.retentionSeconds ?? DEFAULT_RETENTION_SECONDS;
    this.now = opts.now ?? Date.now;
    this.outcomeSchema = opts.outcomeSchema;
  }

  /**
   * Conditional put of an in_progress record with a lease (ms, the caller passes at most its remaining time).
   * Wins when no record exists, the record has expired, or an in_progress lease of the same fingerprint has expired.
   * Otherwise reads it: another fingerprint → mismatch; completed → its outcome; in_progress → in_progress.
   */
  async begin(key: string, fingerprint: string, leaseMs: number): Promise<BeginResult<O>> {
    if (!Number.isFinite(leaseMs)) throw new RangeError('leaseMs must be a finite number of milliseconds');
    for (let attempt = 1; attempt <= MAX_BEGIN_ATTEMPTS; attempt++) {
      const now = this.now();
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            ...inProgressPut(key, fingerprint, leaseMs, now, this.retentionSeconds),
          }),
        );
        return { state: 'started' };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
      const answer = beginAnswerOf(await this.get(key), fingerprint, this.now());
      // Gone between the put and the read (released, or it expired): the next put can win.
      if (answer !== undefined) return answer;
    }
    throw new StateError('state_contention', `idempotency record ${key} kept changing while it was claimed`);
  }

  /**
   * Records the outcome; kept `retentionSeconds` (expires_at). Conditional on our in_progress record with this
   * fingerprint.
   */
  async complete(key: string, fingerprint: string, outcome: O): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          ...completedUpdate(key, fingerprint, outcome, this.now(), this.retentionSeconds),
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // The SDK retries a write whose answer was lost; the first attempt may have completed the record already.
      const record = await this.get(key);
      if (record?.status === COMPLETED && record.fingerprint === fingerprint) return;
      throw new StateError(
        'idempotency_record_lost',
        `idempotency record ${key} is no longer in progress with this fingerprint`,
        { cause: error },
      );
    }
  }

  /** Deletes our in_progress record after a transient failure so the redelivery can start at once. */
  async release(key: string, fingerprint: string): Promise<void> {
    // Nothing of ours to delete (already gone, completed, or another payload's record) is left alone.
    await deleteIfOurs(this.doc, {
      TableName: this.tableName,
      Key: idempotencyItemKey(key),
      ConditionExpression: '#status = :inProgress AND fingerprint = :fingerprint',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':inProgress': IN_PROGRESS, ':fingerprint': fingerprint },
    });
  }

  /** The live record, or undefined when there is none or it has expired (TTL deletes late, DynamoDB Local never). */
  async get(key: string): Promise<IdempotencyRecord<O> | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: idempotencyItemKey(key), ConsistentRead: true }),
    );
    return idempotencyRecordOf(key, out.Item, this.now(), this.outcomeSchema);
  }
}

/**
 * The conditional put that starts a key: wins when no record exists, the record has expired, or an in_progress
 * lease of the same fingerprint has run out. Shared with the change store's claim transaction.
 */
export function inProgressPut(
  key: string,
  fingerprint: string,
  leaseMs: number,
  now: number,
  retentionSeconds: number,
) {
  return {
    Item: {
      ...idempotencyItemKey(key),
      status: IN_PROGRESS,
      fingerprint,
      lease_expires_at: now + Math.max(0, leaseMs),
      expires_at: expiresAtSeconds(now, retentionSeconds),
    },
    ConditionExpression:
      'attribute_not_exists(pk) OR expires_at <= :nowSeconds OR ' +
      '(#status = :inProgress AND fingerprint = :fingerprint AND lease_expires_at < :nowMs)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':nowSeconds': Math.floor(now / 1000),
      ':nowMs': now,
      ':inProgress': IN_PROGRESS,
      ':fingerprint': fingerprint,
    },
  };
}

/** The put that stores a completed record at once (an outcome decided before anything was claimed). */
export function completedPut<O>(key: string, fingerprint: string, outcome: O, now: number, retentionSeconds: number) {
  const { ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues } = inProgressPut(
    key,
    fingerprint,
    0,
    now,
    retentionSeconds,
  );
  return {
    Item: {
      ...idempotencyItemKey(key),
      status: COMPLETED,
      fingerprint,
      outcome: JSON.parse(JSON.stringify(outcome)) as O,
      completed_at: new Date(now).toISOString(),
      expires_at: expiresAtSeconds(now, retentionSeconds),
    },
    ConditionExpression,
    ExpressionAttributeNames,
    ExpressionAttributeValues,
  };
}

/** The update that completes our in_progress record of this fingerprint with its outcome. */
export function completedUpdate<O>(
  key: string,
  fingerprint: string,
  outcome: O,
  now: number,
  retentionSeconds: number,
) {
  return {
    Key: idempotencyItemKey(key),
    UpdateExpression:
      'SET #status = :completed, outcome = :outcome, completed_at = :completedAt, expires_at = :expiresAt ' +
      'REMOVE lease_expires_at',
    ConditionExpression: '#status = :inProgress AND fingerprint = :fingerprint',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':completed': COMPLETED,
      ':inProgress': IN_PROGRESS,
      ':fingerprint': fingerprint,
      // A JSON round trip keeps exactly what a read will give back (no undefined, no class instances).
      ':outcome': JSON.parse(JSON.stringify(outcome)) as O,
      ':completedAt': new Date(now).toISOString(),
      ':expiresAt': expiresAtSeconds(now, retentionSeconds),
    },
  };
}

/** What a begin that lost its put answers for the record found; undefined when the next put can win. */
export function beginAnswerOf<O>(
  record: IdempotencyRecord<O> | undefined,
  fingerprint: string,
  now: number,
): Exclude<BeginResult<O>, { state: 'started' }> | undefined {
  if (record === undefined) return undefined;
  if (record.fingerprint !== fingerprint) return { state: 'mismatch' };
  if (record.status === COMPLETED) return { state: 'completed', outcome: record.outcome };
  // The lease ran out between the put and the read: the next put takes it over.
  if (record.leaseExpiresAt < now) return undefined;
  return { state: 'in_progress', leaseExpiresAt: record.leaseExpiresAt };
}

/** A stored item as a live record, or undefined when absent or expired; a malformed item is an error. */
export function idempotencyRecordOf<O>(
  key: string,
  stored: Record<string, unknown> | undefined,
  now: number,
  outcomeSchema: z.ZodType<O> | undefined,
): IdempotencyRecord<O> | undefined {
  if (stored === undefined) return undefined;
  const parsed = storedRecordSchema.safeParse(stored);
  if (!parsed.success) {
    throw new StateError('state_record_malformed', `idempotency record ${key} has an unexpected shape`);
  }
  const item = parsed.data;
  if (isExpired(item.expires_at, now)) return undefined;
  if (item.status === IN_PROGRESS) {
    return { status: IN_PROGRESS, fingerprint: item.fingerprint, leaseExpiresAt: item.lease_expires_at };
  }
  const outcome =
    outcomeSchema === undefined
      ? { success: true as const, data: item.outcome as O }
      : outcomeSchema.safeParse(item.outcome);
  if (!outcome.success) {
    throw new StateError('state_record_malformed', `idempotency record ${key} holds an outcome of an unexpected shape`);
  }
  return { status: COMPLETED, fingerprint: item.fingerprint, outcome: outcome.data, completedAt: item.completed_at };
}
