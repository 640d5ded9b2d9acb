import { type AccountInfo, getAccountInfo } from '../../voximplant/account';
import type { VoximplantCaller } from '../../voximplant/admin-user';
import { credentialsSchema, type VoximplantCredentials } from '../../voximplant/credentials';
import { VoximplantError } from '../../voximplant/errors';
import { createKey, deleteKey, getKeyRoles, getKeys } from '../../voximplant/keys';
import { configurationTest } from '../configuration-test';
import { RotationError } from '../rotation-error';
import {
  moveCurrentToToken,
  type RotationSteps,
  readCurrent,
  readPending,
  readPrevious,
  requirePending,
  type StepContext,
  type StepOutcome,
} from '../step-context';
import { keyToRetire } from './key-to-retire';
import { isKeyOfRotation, rotatedKeyDescription, rotatedKeyName } from './rotated-key-name';

export interface ServiceKeyRotationDeps {
  /** A Management API client that signs with these credentials (each step reads the versions it needs). */
  clientFor: (credentials: VoximplantCredentials) => VoximplantCaller;
  now?: () => number;
}

const CREDENTIALS = 'the Voximplant credentials';

/**
 * The rotation of the bridge's own service-account key (`rotate-key`, docs/CONTRACT.md#rotation), on the secret named
 * in the event, as the four steps of the shared protocol:
 * - createSecret: CreateKey with the roles of the current key (GetKeyRoles) and a recognisable name, the new
 *   credentials.json stored as AWSPENDING. A pending value that exists already is kept; a key left by an earlier,
 *   failed run of this step (made, never stored: Voximplant keeps no private key) is deleted first.
 * - setSecret: nothing to push, the key exists at Voximplant since createSecret.
 * - testSecret: a call signed with the pending key: it works, for the same account, and can call every method the
 *   current key can.
 * - finishSecret: the key two generations back is deleted, then AWSCURRENT moves. AWSPREVIOUS (today's current key)
 *   stays valid for containers that still hold it; every function refreshes its credentials on an auth error.
 */
export function serviceKeyRotation(deps: ServiceKeyRotationDeps): RotationSteps {
  return {
    createSecret: (ctx) => createSecret(ctx, deps),
    setSecret,
    testSecret: (ctx) => testSecret(ctx, deps),
    finishSecret: (ctx) => finishSecret(ctx, deps),
  };
}

async function createSecret(ctx: StepContext, deps: ServiceKeyRotationDeps): Promise<StepOutcome> {
  if ((await readPending(ctx, credentialsSchema, CREDENTIALS)) !== undefined) return { outcome: 'already_created' };
  const current = await readCurrent(ctx, credentialsSchema, CREDENTIALS);
  const client = deps.clientFor(current);
  const opts = { deadline: ctx.deadline };
  const roles = await getKeyRoles(client, current.key_id, opts);

  // A key made by an earlier run whose PutSecretValue never happened is useless (its private key is gone) and
  // counts against the account's key limit (437): delete it, then make the one key this rotation keeps.
  const leftovers = (await getKeys(client, opts)).filter(
    (k) => isKeyOfRotation(k, ctx.token) && k.keyId !== current.key_id,
  );
  for (const key of leftovers) await deleteKey(client, key.keyId, opts);

  const created = await createKey(
    client,
    {
      keyName: rotatedKeyName(ctx.token, (deps.now ?? Date.now)()),
      description: rotatedKeyDescription(ctx.token),
      roleIds: roles.map((r) => r.roleId),
    },
    opts,
  );
  const details = {
    key_id: created.key_id,
    roles: roles.map((r) => r.roleName).join(', '),
    leftover_keys_deleted: leftovers.length,
  };
  let stored: 'stored' | 'conflict';
  try {
    stored = await ctx.store.putPending(ctx.secretId, ctx.token, JSON.stringify(created));
  } catch (error) {
    await deleteQuietly(ctx, client, created.key_id);
    throw error;
  }
  if (stored === 'conflict') {
    // A concurrent run stored its key first; ours is not in the secret, so it goes.
    await deleteQuietly(ctx, client, created.key_id);
    if ((await readPending(ctx, credentialsSchema, CREDENTIALS)) !== undefined) return { outcome: 'already_created' };
    throw new RotationError('secrets_manager', `PutSecretValue on ${ctx.secretId} conflicted and left no value`);
  }
  return { outcome: 'created', details };
}

/** Best effort: when this fails, the next run of createSecret finds the key by its name and deletes it. */
async function deleteQuietly(ctx: StepContext, client: VoximplantCaller, keyId: string): Promise<void> {
  try {
    await deleteKey(client, keyId, { deadline: ctx.deadline });
  } catch (error) {
    ctx.logger.warn('could not delete a key that was not stored; the next createSecret will', {
      key_id: keyId,
      error: error instanceof Error ? error.message : 'unknown',
    });
  }
}

async function setSecret(ctx: StepContext): Promise<StepOutcome> {
  const pending = await requirePending(ctx, credentialsSchema, CREDENTIALS);
  const current = await readCurrent(ctx, credentialsSchema, CREDENTIALS);
  if (pending.account_id !== current.account_id) {
    throw new RotationError(
      'identity_changed',
      `AWSPENDING ${ctx.token} of ${ctx.secretId} is a key of account ${pending.account_id}, AWSCURRENT of ` +
        `${current.account_id}; start a new rotation`,
    );
  }
  return { outcome: 'nothing_to_set', details: { key_id: pending.key_id } };
}

async function testSecret(ctx: StepContext, deps: ServiceKeyRotationDeps): Promise<StepOutcome> {
  const pending = await readPending(ctx, credentialsSchema, CREDENTIALS);
  if (pending === undefined) return configurationTest();
  const opts = { deadline: ctx.deadline };
  let account: AccountInfo;
  try {
    ({ account } = await getAccountInfo(deps.clientFor(pending), opts));
  } catch (error) {
    if (error instanceof VoximplantError && error.kind === 'auth') {
      throw new RotationError('key_refused', `the pending key ${pending.key_id} was refused: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  if (account.account_id !== pending.account_id) {
    throw new RotationError(
      'account_mismatch',
      `the pending key ${pending.key_id} works for account ${account.account_id}, not ${pending.account_id}`,
    );
  }
  const missing = await accessMissingFromPending(ctx, deps, account.access_entries);
  if (missing.length > 0) {
    throw new RotationError(
      'missing_access',
      `the pending key ${pending.key_id} cannot call what the current key can: ${missing.join(', ')}`,
    );
  }
  return { outcome: 'key_works', details: { key_id: pending.key_id } };
}

/**
 * The methods the current key may call (GetAccountInfo `access_entries`) that the pending key may not. Empty when
 * either list is absent, or when the current key no longer works (then there is nothing to compare with, and a
 * working new key is what the bridge needs most).
 */
async function accessMissingFromPending(
  ctx: StepContext,
  deps: ServiceKeyRotationDeps,
  pendingEntries: string[] | undefined,
): Promise<string[]> {
  if (pendingEntries === undefined) return [];
  const current = await readCurrent(ctx, credentialsSchema, CREDENTIALS);
  let currentEntries: string[] | undefined;
  try {
    currentEntries = (await getAccountInfo(deps.clientFor(current), { deadline: ctx.deadline })).account.access_entries;
  } catch (error) {
    if (!(error instanceof VoximplantError && error.kind === 'auth')) throw error;
    ctx.logger.warn('the current key is refused; access of the pending key not compared', { key_id: current.key_id });
    return [];
  }
  const granted = new Set(pendingEntries);
  return (currentEntries ?? []).filter((entry) => !granted.has(entry));
}

async function finishSecret(ctx: StepContext, deps: ServiceKeyRotationDeps): Promise<StepOutcome> {
  const pending = await requirePending(ctx, credentialsSchema, CREDENTIALS);
  const current = await readCurrent(ctx, credentialsSchema, CREDENTIALS);
  const previous = await readPrevious(ctx, credentialsSchema);
  const retire = keyToRetire({ current, pending, previous });
  const details: Record<string, string> = { key_id: pending.key_id };
  // Deleted BEFORE the move: once AWSCURRENT has moved, the guard makes every retry of this step a no-op, so a
  // deletion that failed after the move would never be retried and the old key would live on.
  if (retire !== undefined) {
    const client = deps.clientFor(current);
    const opts = { deadline: ctx.deadline };
    // A retry after a failed move finds the key already gone. The whole list is read rather than filtered by
    // key_id: an unknown key_id may answer 433, which is also what a refused signing key answers.
    if ((await getKeys(client, opts)).some((k) => k.keyId === retire)) {
      await deleteKey(client, retire, opts);
    }
    details.retired_key_id = retire;
  }
  await moveCurrentToToken(ctx);
  return { outcome: 'current_moved', details };
}
