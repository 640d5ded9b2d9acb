import { randomBytes, randomUUID } from 'node:crypto';
import type { CryptoKey } from 'jose';
import { OWNER_ADMIN_ROLE_ID } from './roles';
import type { AdminView, SeedAdmin } from './types';

export interface StoredAdmin {
  admin_user_id: number;
  admin_user_name: string;
  admin_user_display_name: string;
  admin_user_active: boolean;
  password: string | undefined;
  api_key: string;
  admin_role_ids: number[];
  /** ms since epoch of the last change (GetAdminUsers `modified`). */
  modified: number;
}

export interface StoredAccount {
  account_id: number;
  account_name: string;
  account_email: string;
  parent_account_id: number | undefined;
  admins: Map<number, StoredAdmin>;
  nextAdminId: number;
}

export interface StoredKey {
  key_id: string;
  account_id: number;
  key_name: string;
  description: string;
  role_ids: number[];
  publicKey: CryptoKey;
  privateKeyPem: string;
  deleted: boolean;
}

export const OWNER_ADMIN_ID = 1;
export const OWNER_ADMIN_NAME = 'owner';

/**
 * Demo admins for `npm start` (docs/CONTRACT.md#simulator: at least three active, unprotected admins besides the
 * owner).
 */
const DEMO_ADMINS: readonly SeedAdmin[] = [
  { admin_user_name: 'jdoe', admin_user_display_name: 'John Doe' },
  // jdoe2 exists so that a substring lookup for "jdoe" returns two admins (the bridge must match exactly).
  { admin_user_name: 'jdoe2', admin_user_display_name: 'Jane Doe' },
  { admin_user_name: 'asmith', admin_user_display_name: 'Alice Smith' },
  { admin_user_name: 'bwong', admin_user_display_name: 'Bob Wong' },
];

function apiKey(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The simulator's state: accounts (main + children) with their admin users, and the service-account keys.
 * Plain in-memory maps; every method handler runs to completion on one tick, so no locking is needed.
 */
export class SimStore {
  readonly mainAccountId: number;
  readonly accounts = new Map<number, StoredAccount>();
  readonly keys = new Map<string, StoredKey>();
  private readonly seed: readonly SeedAdmin[];

  constructor(
    mainAccountId: number,
    childAccountIds: readonly number[],
    seed: 'demo' | 'empty' | readonly SeedAdmin[],
    private readonly now: () => number,
    readonly maxKeysPerAccount: number,
  ) {
    this.mainAccountId = mainAccountId;
    this.seed = seed === 'demo' ? DEMO_ADMINS : seed === 'empty' ? [] : seed;
    this.accounts.set(mainAccountId, newAccount(mainAccountId, undefined));
    for (const id of childAccountIds) {
      if (id === mainAccountId || this.accounts.has(id)) throw new Error(`duplicate account id ${id}`);
      this.accounts.set(id, newAccount(id, mainAccountId));
    }
    this.resetAdmins();
  }

  /** Every account back to its owner plus the seed admins. */
  resetAdmins(): void {
    for (const account of this.accounts.values()) {
      account.admins.clear();
      account.nextAdminId = OWNER_ADMIN_ID;
      this.addAdmin({
        account_id: account.account_id,
        admin_user_id: OWNER_ADMIN_ID,
        admin_user_name: OWNER_ADMIN_NAME,
        admin_user_display_name: 'Account owner',
      });
      const owner = account.admins.get(OWNER_ADMIN_ID)!;
      owner.admin_role_ids = [OWNER_ADMIN_ROLE_ID];
    }
    for (const a of this.seed) this.addAdmin(a);
  }

  account(id: number): StoredAccount | undefined {
    return this.accounts.get(id);
  }

  /**
   * May a key of `keyAccountId` act as `accountId`? Its own account, or a child of it
   * (https://voximplant.com/docs/guides/management-api/child-accounts).
   */
  mayActAs(keyAccountId: number, accountId: number): boolean {
    if (keyAccountId === accountId) return true;
    return this.accounts.get(accountId)?.parent_account_id === keyAccountId;
  }

  /**
   * Adds an admin (seed, tests, and AddAdminUser once its parameters passed the API's checks); throws a plain Error
   * on a bad account, duplicate id or name.
   */
  addAdmin(a: SeedAdmin): StoredAdmin {
    const accountId = a.account_id ?? this.mainAccountId;
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`unknown account ${accountId}`);
    const id = a.admin_user_id ?? account.nextAdminId;
    if (!Number.isSafeInteger(id) || id < 1) throw new Error(`invalid admin_user_id ${id}`);
    if (account.admins.has(id)) throw new Error(`admin_user_id ${id} already exists in account ${accountId}`);
    if (findAdminByName(account, a.admin_user_name)) {
      throw new Error(`admin_user_name ${a.admin_user_name} already exists in account ${accountId}`);
    }
    const admin: StoredAdmin = {
      admin_user_id: id,
      admin_user_name: a.admin_user_name,
      admin_user_display_name: a.admin_user_display_name ?? a.admin_user_name,
      admin_user_active: a.admin_user_active ?? true,
      password: a.password,
      api_key: apiKey(),
      admin_role_ids: [],
      modified: this.now(),
    };
    account.admins.set(id, admin);
    account.nextAdminId = Math.max(account.nextAdminId, id + 1);
    return admin;
  }

  /** Adds a live key under a new id (the key the simulator starts with, CreateKey). */
  addKey(k: Omit<StoredKey, 'key_id' | 'deleted'>): StoredKey {
    const key: StoredKey = { key_id: randomUUID(), ...k, deleted: false };
    this.keys.set(key.key_id, key);
    return key;
  }

  liveKey(keyId: string): StoredKey | undefined {
    const key = this.keys.get(keyId);
    return key && !key.deleted ? key : undefined;
  }
}

function newAccount(id: number, parent: number | undefined): StoredAccount {
  return {
    account_id: id,
    account_name: parent === undefined ? 'sim-account' : `sim-child-${id}`,
    account_email: `account-${id}@sim.voximplant.invalid`,
    parent_account_id: parent,
    admins: new Map(),
    nextAdminId: OWNER_ADMIN_ID,
  };
}

/** Exact, case-sensitive name match (SetAdminUserInfo, DelAdminUser, the password login, uniqueness). */
export function findAdminByName(account: StoredAccount, name: string): StoredAdmin | undefined {
  for (const a of account.admins.values()) if (a.admin_user_name === name) return a;
  return undefined;
}

export function adminView(a: StoredAdmin): AdminView {
  return {
    admin_user_id: a.admin_user_id,
    admin_user_name: a.admin_user_name,
    admin_user_display_name: a.admin_user_display_name,
    admin_user_active: a.admin_user_active,
  };
}

export function sortedAdmins(account: StoredAccount): StoredAdmin[] {
  return [...account.admins.values()].sort((x, y) => x.admin_user_id - y.admin_user_id);
}

/** Voximplant's wire format for dates: `YYYY-MM-DD HH:mm:ss` in UTC (as the official Node and Python clients convert
 * dates). */
export function apiDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
