import { writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { closerOf, listenOn } from '../../src/runtime/node-http';
import { CallLog } from './call-log';
import { FaultQueue, parseFaultSpec } from './faults';
import { createSimHttpServer } from './http-server';
import { generateRsaKey } from './keygen';
import type { PlatformApiDeps } from './platform-api';
import { RateLimiter } from './rate-limiter';
import { OWNER_ROLE_ID } from './roles';
import { adminView, SimStore, sortedAdmins } from './store';
import type { AdminView, SeedAdmin, Simulator, SimulatorCredentials, SimulatorOptions } from './types';

export type {
  AdminView,
  CallAuth,
  CallRecord,
  FaultSpec,
  SeedAdmin,
  Simulator,
  SimulatorCredentials,
  SimulatorOptions,
} from './types';

export const DEFAULT_ACCOUNT_ID = 1_000_001;

/**
 * Live keys per account. Voximplant has a limit (437 MAX_NUMBER_OF_KEYS_EXCEEDED) but does not document it
 * (https://voximplant.com/docs/references/httpapi/rolesystem); 20 is the simulator's choice, low enough that a key
 * rotation that forgets to delete old keys fails in a test long before it would in production.
 */
export const DEFAULT_MAX_KEYS_PER_ACCOUNT = 20;

/**
 * How far in the future a token's `iat` may be. Voximplant does not document its tolerance; the Python and Java clients
 * backdate `iat` by 5 s, which suggests it is small. 10 s accepts a client that backdates plus a little drift, and
 * still fails one whose clock is really off, as production would.
 */
export const DEFAULT_CLOCK_SKEW_TOLERANCE_SEC = 10;

/**
 * A faithful local stand-in for the Voximplant Management API (docs/CONTRACT.md#simulator; behaviour and every choice
 * the docs leave open: tooling/sim/README.md). Async because it generates the account's first RSA key.
 */
export async function createSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const now = opts.now ?? Date.now;
  const accountId = opts.accountId ?? DEFAULT_ACCOUNT_ID;
  if (!Number.isSafeInteger(accountId) || accountId < 1) throw new Error(`invalid accountId ${accountId}`);
  const skewToleranceSec = opts.clockSkewToleranceSec ?? DEFAULT_CLOCK_SKEW_TOLERANCE_SEC;
  if (!(skewToleranceSec >= 0)) throw new Error(`invalid clockSkewToleranceSec ${skewToleranceSec}`);

  const maxKeys = opts.maxKeysPerAccount ?? DEFAULT_MAX_KEYS_PER_ACCOUNT;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) throw new Error(`invalid maxKeysPerAccount ${maxKeys}`);
  const store = new SimStore(accountId, opts.childAccountIds ?? [], opts.seed ?? 'demo', now, maxKeys);
  const material = await generateRsaKey();
  const initialKeyId = store.addKey({
    account_id: accountId,
    key_name: 'sim-owner-key',
    description: 'The key the simulator starts with (credentials.json)',
    role_ids: [OWNER_ROLE_ID],
    ...material,
  }).key_id;

  const faults = new FaultQueue();
  const calls = new CallLog();
  const rateLimiter = new RateLimiter(opts.rateLimitPerSecond, now);
  const pendingWaits = new Set<() => void>();
  let server: Server | undefined;
  let apiUrl = '';

  const deps: PlatformApiDeps = {
    store,
    faults,
    rateLimiter,
    calls,
    now,
    skewToleranceSec,
    apiUrl: () => apiUrl,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          pendingWaits.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        pendingWaits.add(done);
      }),
  };

  const credentials = (): SimulatorCredentials => {
    const account = store.account(accountId)!;
    return {
      account_id: accountId,
      account_email: account.account_email,
      key_id: initialKeyId,
      private_key: material.privateKeyPem,
    };
  };

  const sim: Simulator = {
    accountId,
    async listen(port = 0, host = '127.0.0.1') {
      if (server) throw new Error('the simulator is already listening');
      const created = createSimHttpServer(deps, sim);
      server = created;
      const address = await listenOn(created, port, host);
      const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const url = `http://${hostPart}:${address.port}`;
      apiUrl = `${url}/platform_api`;
      return { url, apiUrl };
    },
    async close() {
      const s = server;
      if (!s) return;
      server = undefined;
      for (const wake of [...pendingWaits]) wake();
      await closerOf(s)();
    },
    credentials,
    async writeCredentialsFile(path) {
      // 0600: it holds a private key, even if only the simulator's.
      await writeFile(path, `${JSON.stringify(credentials(), null, 2)}\n`, { mode: 0o600 });
    },
    admins(id = accountId): AdminView[] {
      const account = store.account(id);
      if (!account) throw new Error(`unknown account ${id}`);
      return sortedAdmins(account).map(adminView);
    },
    calls: () => calls.list(),
    queueFault(fault) {
      faults.add(parseFaultSpec(fault));
    },
    reset() {
      store.resetAdmins();
      faults.clear();
      calls.clear();
      rateLimiter.refill();
      // The credentials handed out at start keep working across resets, even if a test deleted that key.
      store.keys.get(initialKeyId)!.deleted = false;
    },
    setRateLimit(perSecond) {
      rateLimiter.set(perSecond);
    },
    addAdmin(a: SeedAdmin): AdminView {
      return adminView(store.addAdmin(a));
    },
    editAdmin(id, adminUserId, edit) {
      const account = store.account(id ?? accountId);
      if (!account) throw new Error(`unknown account ${id}`);
      const admin = account.admins.get(adminUserId);
      if (!admin) throw new Error(`no admin ${adminUserId} in account ${account.account_id}`);
      if (edit.admin_user_active !== undefined) admin.admin_user_active = edit.admin_user_active;
      if (edit.admin_user_display_name !== undefined) admin.admin_user_display_name = edit.admin_user_display_name;
      admin.modified = now();
      return adminView(admin);
    },
  };
  return sim;
}

export interface RunSimulatorServerOptions extends SimulatorOptions {
  port?: number;
  host?: string;
  /** Also write the credentials.json here (mode 0600). */
  credentialsFile?: string;
}

export interface RunningSimulator {
  simulator: Simulator;
  url: string;
  apiUrl: string;
  close(): Promise<void>;
}

/**
 * Creates, starts and (optionally) writes the credentials of a simulator, for the CLI `sim` and `dev` commands. Prints
 * nothing.
 */
export async function runSimulatorServer(opts: RunSimulatorServerOptions = {}): Promise<RunningSimulator> {
  const { port, host, credentialsFile, ...simOptions } = opts;
  const simulator = await createSimulator(simOptions);
  const { url, apiUrl } = await simulator.listen(port ?? 0, host ?? '127.0.0.1');
  try {
    if (credentialsFile !== undefined) await simulator.writeCredentialsFile(credentialsFile);
  } catch (error) {
    await simulator.close();
    throw error;
  }
  return { simulator, url, apiUrl, close: () => simulator.close() };
}
