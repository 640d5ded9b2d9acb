import type { FaultSpec } from './faults';

export type { FaultSpec } from './faults';

/** An admin user to seed or add. Without `account_id` it belongs to the main account. */
export interface SeedAdmin {
  admin_user_id?: number;
  admin_user_name: string;
  admin_user_display_name?: string;
  admin_user_active?: boolean;
  /** Without a password the admin cannot use the password login (as an admin created by SSO could not). */
  password?: string;
  account_id?: number;
}

export interface SimulatorOptions {
  /** 'demo' (default): owner (id 1) + jdoe, jdoe2, asmith, bwong. 'empty': only the owner. An array: owner + these. */
  seed?: 'demo' | 'empty' | SeedAdmin[];
  /** The main account's id; default 1000001. */
  accountId?: number;
  /** Child accounts: a JWT may name one of these in `iss` (parent acting on child); each has its own admins. */
  childAccountIds?: number[];
  /** Above this many Management API calls per second (token bucket, burst = one second) answer error 340. */
  rateLimitPerSecond?: number;
  /** Live keys per account before CreateKey answers 437; default 20 (Voximplant's own limit is undocumented). */
  maxKeysPerAccount?: number;
  /** How far in the future `iat` may be before error 455; default 10 s (see README.md). */
  clockSkewToleranceSec?: number;
  /** The simulator's clock in ms (JWT checks, `modified`, the Date header, the rate limit); default Date.now. */
  now?: () => number;
}

export interface AdminView {
  admin_user_id: number;
  admin_user_name: string;
  admin_user_display_name: string;
  admin_user_active: boolean;
}

export type CallAuth = 'jwt' | 'admin_password' | 'none';

/** One Management API request as the simulator received it (passwords and keys redacted). */
export interface CallRecord {
  /** The method named by the path or `cmd`; '' when none was given. */
  method: string;
  params: Record<string, string>;
  /** ISO 8601 time of arrival, by the simulator's clock. */
  at: string;
  /** The account the call acted on, once authenticated. */
  account_id?: number;
  auth: CallAuth;
  /** The key that signed the JWT, for JWT calls. */
  key_id?: string;
  /** The Voximplant error code answered, if any (also for faults that answered an error). */
  error_code?: number;
  /** The queued fault that shaped this call's answer, if any: 'error', 'http', 'drop_before', 'drop_after', 'delay'. */
  fault?: string;
  /** Where the parameters came from. */
  encoding: 'none' | 'query' | 'urlencoded' | 'multipart' | 'mixed';
  /** Names of the parameters sent in the query string (secrets must never be there). */
  query_keys: string[];
  /** The `Idempotency-Key` request header, when sent. */
  idempotency_key?: string;
}

export interface SimulatorCredentials {
  account_id: number;
  account_email: string;
  key_id: string;
  private_key: string;
}

export interface Simulator {
  /** Starts the HTTP server; port 0 (the default) picks a free port. Host defaults to 127.0.0.1. */
  listen(port?: number, host?: string): Promise<{ url: string; apiUrl: string }>;
  close(): Promise<void>;
  readonly accountId: number;
  /** A working key with the Owner role: the credentials.json a user would download. */
  credentials(): SimulatorCredentials;
  writeCredentialsFile(path: string): Promise<void>;
  admins(accountId?: number): AdminView[];
  calls(): CallRecord[];
  queueFault(fault: FaultSpec): void;
  /** Back to the seed; faults and calls cleared; the rate bucket refilled. Keys stay as they are (see README.md). */
  reset(): void;
  setRateLimit(perSecond: number | undefined): void;
  addAdmin(a: SeedAdmin): AdminView;
  /**
   * Changes an admin as a person in the Voximplant control panel would: no API call, no call log entry. For drift
   * demonstrations and tests; throws a plain Error for an unknown account or admin.
   */
  editAdmin(accountId: number | undefined, adminUserId: number, edit: AdminEdit): AdminView;
}

/** What the control panel may change of an admin (`POST /__sim/admins/<id>`). */
export interface AdminEdit {
  admin_user_active?: boolean;
  admin_user_display_name?: string;
}
