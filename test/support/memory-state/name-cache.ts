import { expiresAtSeconds, isExpired } from '../../../src/state/expiry';
import { accountSegment } from '../../../src/state/keys';
import { DEFAULT_NAME_CACHE_TTL_SECONDS, type NameCache } from '../../../src/state/name-cache';

const keyOf = (accountId: number | undefined, name: string) => `${accountSegment(accountId)}#${name}`;

/** The name → id cache in a Map; an entry past its TTL is absent on read, as in the table. */
export class MemoryNameCache implements NameCache {
  readonly entries = new Map<string, { adminUserId: number; expiresAt: number }>();
  private readonly ttlSeconds: number;
  private readonly now: () => number;

  constructor(opts: { ttlSeconds?: number; now?: () => number } = {}) {
    this.ttlSeconds = opts.ttlSeconds ?? DEFAULT_NAME_CACHE_TTL_SECONDS;
    this.now = opts.now ?? Date.now;
  }

  async get(accountId: number | undefined, name: string): Promise<number | undefined> {
    const entry = this.entries.get(keyOf(accountId, name));
    if (entry === undefined || isExpired(entry.expiresAt, this.now())) return undefined;
    return entry.adminUserId;
  }

  async put(accountId: number | undefined, name: string, adminUserId: number): Promise<void> {
    this.entries.set(keyOf(accountId, name), {
      adminUserId,
      expiresAt: expiresAtSeconds(this.now(), this.ttlSeconds),
    });
  }

  async forget(accountId: number | undefined, name: string): Promise<void> {
    this.entries.delete(keyOf(accountId, name));
  }
}
