import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { expiresAtSeconds, isExpired } from './expiry';
import { nameCacheItemKey } from './keys';

/**
 * admin_user_name → admin_user_id per account (docs/CONTRACT.md#targets-and-names), so a change by name costs no
 * GetAdminUsers call when the name was resolved recently. Short-lived because names change (renames, SCIM): a wrong hit
 * is only possible until the entry expires or the renaming code calls `forget`.
 */
export interface NameCacheOptions {
  /** Default 1 day. */
  ttlSeconds?: number;
  /** Epoch milliseconds; injected by tests. */
  now?: () => number;
}

export const DEFAULT_NAME_CACHE_TTL_SECONDS = 24 * 60 * 60;

/** The name → id cache, whatever keeps it: an expired entry is absent on read; `forget` of an unknown name is fine. */
export interface NameCache {
  get(accountId: number | undefined, name: string): Promise<number | undefined>;
  put(accountId: number | undefined, name: string, adminUserId: number): Promise<void>;
  forget(accountId: number | undefined, name: string): Promise<void>;
}

export class DynamoNameCache implements NameCache {
  private readonly ttlSeconds: number;
  private readonly now: () => number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    opts: NameCacheOptions = {},
  ) {
    this.ttlSeconds = opts.ttlSeconds ?? DEFAULT_NAME_CACHE_TTL_SECONDS;
    this.now = opts.now ?? Date.now;
  }

  /** The cached id, or undefined when absent or expired (DynamoDB and DynamoDB Local may still return expired items). */
  async get(accountId: number | undefined, name: string): Promise<number | undefined> {
    const out = await this.doc.send(
      // Consistent: a `forget` after a rename must be seen by the very next lookup.
      new GetCommand({ TableName: this.tableName, Key: nameCacheItemKey(accountId, name), ConsistentRead: true }),
    );
    const id = out.Item?.admin_user_id;
    const expiresAt = out.Item?.expires_at;
    if (typeof id !== 'number' || typeof expiresAt !== 'number') return undefined;
    return isExpired(expiresAt, this.now()) ? undefined : id;
  }

  async put(accountId: number | undefined, name: string, adminUserId: number): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...nameCacheItemKey(accountId, name),
          admin_user_id: adminUserId,
          expires_at: expiresAtSeconds(this.now(), this.ttlSeconds),
        },
      }),
    );
  }

  async forget(accountId: number | undefined, name: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: nameCacheItemKey(accountId, name) }));
  }
}
