import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { BridgeError } from '../errors/bridge-error';
import { isConditionalCheckFailed } from './conditional-check';
import { StateError } from './errors';
import { accountSegment, type ItemKey, SCIM_PK_PREFIX } from './keys';

/**
 * SCIM records (docs/CONTRACT.md#scim): one per Voximplant admin that SCIM created or linked. Voximplant holds only the name,
 * display name, password and active flag; the record keeps everything else an IdP wrote (`name`, `emails`,
 * `externalId`, extensions...) so that the IdP reads back what it wrote, and its existence is what makes an admin a
 * SCIM user: `GET /Users` lists exactly the admins with a live record.
 *
 * Layout (the `scim#` row of the table in keys.ts):
 *
 * | item        | pk                    | sk                    | other attributes                                        |
 * |-------------|-----------------------|-----------------------|---------------------------------------------------------|
 * | SCIM record | `scim#<account>`      | `user#<admin_user_id>`| admin_user_id N, attributes S (JSON), created S,        |
 * |             |                       |                       | last_modified S (RFC 3339), version N, deleted_at S?    |
 *
 * - One partition per account, so a whole account's SCIM users are one Query, never a Scan. SCIM traffic is a few
 *   requests per second at most, far below one partition's limits (1,000 writes/s, 3,000 reads/s).
 * - `attributes` is a JSON string rather than a map: IdP extensions may carry numbers beyond 2^53, which the document
 *   client refuses to marshal, and a string round-trips exactly what was written.
 * - `deleted_at` marks a tombstone: SCIM DELETE in `deactivate` mode leaves the (deactivated) admin in Voximplant and
 *   the record as a tombstone, so the id answers 404 (RFC 7644 §3.6) while the history stays. Tombstones do not
 *   expire; a later POST with the same userName replaces one (a "restore").
 * - `version` counts writes; updates are conditional on it, so two concurrent writers cannot silently lose one
 *   IdP write.
 */
export interface ScimRecord {
  adminUserId: number;
  /** The SCIM attributes as the IdP wrote them, in canonical form; never a password. */
  attributes: Record<string, unknown>;
  /** RFC 3339. */
  created: string;
  lastModified: string;
  version: number;
  /** RFC 3339; set on a tombstone. */
  deletedAt?: string;
}

/** A conditional write lost: a live record already exists (create), or the record moved on (update, tombstone). */
export class ScimRecordConflictError extends BridgeError {
  declare readonly code: 'scim_record_conflict';
  constructor(message: string) {
    // The other request is done within a second or so; the retry reads the record it left.
    super('scim_record_conflict', message, { retry: 'transient', retryAfterMs: 1_000 });
    this.name = 'ScimRecordConflictError';
  }
}

const storedSchema = z.object({
  admin_user_id: z.number().int().positive(),
  attributes: z.string(),
  created: z.string(),
  last_modified: z.string(),
  version: z.number().int().nonnegative(),
  deleted_at: z.string().optional(),
});

/** The condition of every write to an existing record: still live, and still the version that was read. */
const LIVE_AT_VERSION = 'version = :version AND attribute_not_exists(deleted_at)';

function scimRecordsPartition(accountId: number | undefined): string {
  return `${SCIM_PK_PREFIX}${accountSegment(accountId)}`;
}

function scimRecordItemKey(accountId: number | undefined, adminUserId: number): ItemKey {
  return { pk: scimRecordsPartition(accountId), sk: `user#${adminUserId}` };
}

/**
 * The SCIM records of one account, whatever keeps them. `create` succeeds only where no live record exists (a
 * tombstone may be replaced); `update` and `tombstone` only on a live record still at the version that was read; a
 * lost condition is a ScimRecordConflictError. What is read back is a copy: changing it changes nothing stored.
 */
export interface ScimRecordStore {
  get(adminUserId: number): Promise<ScimRecord | undefined>;
  list(): Promise<ScimRecord[]>;
  create(record: Omit<ScimRecord, 'version' | 'deletedAt'>): Promise<ScimRecord>;
  update(
    record: ScimRecord,
    change: { attributes: Record<string, unknown>; lastModified: string },
  ): Promise<ScimRecord>;
  tombstone(record: ScimRecord, at: string): Promise<void>;
  remove(adminUserId: number): Promise<void>;
}

export class DynamoScimRecordStore implements ScimRecordStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly accountId?: number,
  ) {}

  /** The record, tombstone or not; undefined when the admin never was a SCIM user. */
  async get(adminUserId: number): Promise<ScimRecord | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: scimRecordItemKey(this.accountId, adminUserId),
        // Consistent: an IdP reads a user right after creating it.
        ConsistentRead: true,
      }),
    );
    return out.Item === undefined ? undefined : fromItem(out.Item);
  }

  /** Every record of the account, tombstones included, in admin_user_id order (stable paging). */
  async list(): Promise<ScimRecord[]> {
    const records: ScimRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :user)',
          ExpressionAttributeValues: { ':pk': scimRecordsPartition(this.accountId), ':user': 'user#' },
          ConsistentRead: true,
          ...(startKey !== undefined && { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of out.Items ?? []) records.push(fromItem(item));
      startKey = out.LastEvaluatedKey;
    } while (startKey !== undefined);
    return records.sort((a, b) => a.adminUserId - b.adminUserId);
  }

  /** Writes a new record (version 1): only where none is live, so a tombstone can be replaced (restore). */
  async create(record: Omit<ScimRecord, 'version' | 'deletedAt'>): Promise<ScimRecord> {
    const stored: ScimRecord = { ...record, version: 1 };
    await conditional(
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(this.accountId, stored),
          ConditionExpression: 'attribute_not_exists(pk) OR attribute_exists(deleted_at)',
        }),
      ),
      `admin ${record.adminUserId} already has a live SCIM record`,
    );
    return stored;
  }

  /** Replaces a live record's attributes; conditional on the version read, so a concurrent write is not lost. */
  async update(
    record: ScimRecord,
    change: { attributes: Record<string, unknown>; lastModified: string },
  ): Promise<ScimRecord> {
    const next: ScimRecord = {
      adminUserId: record.adminUserId,
      attributes: change.attributes,
      created: record.created,
      lastModified: change.lastModified,
      version: record.version + 1,
    };
    await conditional(
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(this.accountId, next),
          ConditionExpression: LIVE_AT_VERSION,
          ExpressionAttributeValues: { ':version': record.version },
        }),
      ),
      changedMeanwhile(record),
    );
    return next;
  }

  /** Marks a live record deleted (RFC 7644 §3.6: the id answers 404 from now on); the attributes stay for audit. */
  async tombstone(record: ScimRecord, at: string): Promise<void> {
    await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: scimRecordItemKey(this.accountId, record.adminUserId),
          UpdateExpression: 'SET deleted_at = :at, last_modified = :at, version = :next',
          ConditionExpression: LIVE_AT_VERSION,
          ExpressionAttributeValues: { ':at': at, ':version': record.version, ':next': record.version + 1 },
        }),
      ),
      changedMeanwhile(record),
    );
  }

  /** Deletes the record outright (SCIM_DELETE_MODE=delete: the admin itself is gone). */
  async remove(adminUserId: number): Promise<void> {
    await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: scimRecordItemKey(this.accountId, adminUserId) }),
    );
  }
}

/** A conditional write; a lost condition becomes a ScimRecordConflictError with `conflict` as its message. */
async function conditional(write: Promise<unknown>, conflict: string): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw new ScimRecordConflictError(conflict);
    throw error;
  }
}

function changedMeanwhile(record: ScimRecord): string {
  return `the SCIM record of admin ${record.adminUserId} changed meanwhile`;
}

function toItem(accountId: number | undefined, record: ScimRecord): Record<string, unknown> {
  return {
    ...scimRecordItemKey(accountId, record.adminUserId),
    admin_user_id: record.adminUserId,
    attributes: JSON.stringify(record.attributes),
    created: record.created,
    last_modified: record.lastModified,
    version: record.version,
    ...(record.deletedAt !== undefined && { deleted_at: record.deletedAt }),
  };
}

function fromItem(item: Record<string, unknown>): ScimRecord {
  const parsed = storedSchema.safeParse(item);
  let attributes: unknown;
  try {
    attributes = parsed.success ? JSON.parse(parsed.data.attributes) : undefined;
  } catch {
    attributes = undefined;
  }
  if (!parsed.success || typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
    throw new StateError(
      'state_record_malformed',
      `a SCIM record (${String(item.sk)}) does not have the expected shape`,
    );
  }
  const { data } = parsed;
  return {
    adminUserId: data.admin_user_id,
    attributes: attributes as Record<string, unknown>,
    created: data.created,
    lastModified: data.last_modified,
    version: data.version,
    ...(data.deleted_at !== undefined && { deletedAt: data.deleted_at }),
  };
}
