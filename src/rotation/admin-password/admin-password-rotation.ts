import { idempotencyKey } from '../../events/idempotency-key';
import type { Deadline } from '../../runtime/deadline';
import { VoximplantError } from '../../voximplant/errors';
import { setAdminUserInfo } from '../../voximplant/set-admin-user-info';
import { configurationTest } from '../configuration-test';
import { RotationError } from '../rotation-error';
import {
  moveCurrentToToken,
  type RotationSteps,
  readCurrent,
  readPending,
  requirePending,
  type StepContext,
  type StepOutcome,
} from '../step-context';
import { ADMIN_PASSWORD_SECRET, type AdminPasswordSecret, adminPasswordSecretSchema } from './admin-password-secret';
import { newAdminPassword } from './new-password';
import {
  type AdminPasswordRotationDeps,
  adminTarget,
  checkAdminPassword,
  loginWith,
  type PasswordCheck,
  secretAdmin,
} from './password-check';

export type { AdminPasswordRotationDeps } from './password-check';

/** 535 PASSWORD_WAS_ALREADY_USED (apiclient-php `src/Enum/Errors.php`). */
const PASSWORD_ALREADY_USED = 535;
/** The `Idempotency-Key` of a rotation's SetAdminUserInfo: one per rotation (token), the same on every retry. */
const IDEMPOTENCY_SOURCE = 'urn:vox-admin-bridge:rotate';

const checkDetails = (check: PasswordCheck): Record<string, string> =>
  check.method === 'admin_by_id' ? { check: check.method, check_reason: check.reason } : { check: check.method };

/**
 * The rotation of an admin user's password (`rotate`, docs/CONTRACT.md#rotation), as the four steps of the shared
 * protocol:
 * - createSecret: a new password from GetRandomPassword, stored as AWSPENDING under the token; a pending value
 *   that exists already is kept (a second run makes no second password).
 * - setSecret: SetAdminUserInfo by id with `new_admin_user_password`, signed with the bridge's key; skipped when the
 *   pending password already logs in (a second run changes nothing).
 * - testSecret: the pending password must work (the admin's own login, or the check by id: see password-check.ts).
 * - finishSecret: AWSCURRENT moves to the token.
 */
export function adminPasswordRotation(deps: AdminPasswordRotationDeps): RotationSteps {
  return {
    createSecret: (ctx) => createSecret(ctx, deps),
    setSecret: (ctx) => setSecret(ctx, deps),
    testSecret: (ctx) => testSecret(ctx, deps),
    finishSecret: finishSecret,
  };
}

async function createSecret(ctx: StepContext, deps: AdminPasswordRotationDeps): Promise<StepOutcome> {
  if ((await readPending(ctx, adminPasswordSecretSchema, ADMIN_PASSWORD_SECRET)) !== undefined) {
    return { outcome: 'already_created' };
  }
  const current = await readCurrent(ctx, adminPasswordSecretSchema, ADMIN_PASSWORD_SECRET);
  const target = await adminTarget(current, deps);
  // Read before anything is generated: a wrong admin_user_id fails here, with nothing written. The admin's live
  // name goes into the new version, so a rename since the last rotation does not break the login check.
  const admin = await secretAdmin(current, target, deps, ctx.deadline);
  const next: AdminPasswordSecret = {
    ...current,
    admin_user_name: admin.admin_user_name,
    password: await newAdminPassword(ctx.store),
  };
  const stored = await ctx.store.putPending(ctx.secretId, ctx.token, JSON.stringify(next));
  const details = {
    admin_user_id: current.admin_user_id,
    admin_user_name: admin.admin_user_name,
    renamed: admin.admin_user_name !== current.admin_user_name,
  };
  if (stored === 'conflict') {
    // Another run of this step stored its own password under the token first; that one stands.
    if ((await readPending(ctx, adminPasswordSecretSchema, ADMIN_PASSWORD_SECRET)) !== undefined) {
      return { outcome: 'already_created', details };
    }
    throw new RotationError('secrets_manager', `PutSecretValue on ${ctx.secretId} conflicted and left no value`);
  }
  return { outcome: 'created', details };
}

/** The pending version must rotate the same admin as the current one (the AWS templates check user and host). */
async function pendingOfSameAdmin(ctx: StepContext): Promise<AdminPasswordSecret> {
  const pending = await requirePending(ctx, adminPasswordSecretSchema, ADMIN_PASSWORD_SECRET);
  const current = await readCurrent(ctx, adminPasswordSecretSchema, ADMIN_PASSWORD_SECRET);
  if (pending.admin_user_id !== current.admin_user_id || pending.account_id !== current.account_id) {
    throw new RotationError(
      'identity_changed',
      `AWSPENDING ${ctx.token} of ${ctx.secretId} names admin ${pending.admin_user_id} (account ` +
        `${pending.account_id ?? 'main'}), AWSCURRENT names ${current.admin_user_id} (account ` +
        `${current.account_id ?? 'main'}); start a new rotation`,
    );
  }
  return pending;
}

async function setSecret(ctx: StepContext, deps: AdminPasswordRotationDeps): Promise<StepOutcome> {
  const pending = await pendingOfSameAdmin(ctx);
  const check = await checkAdminPassword(pending, deps, ctx.deadline);
  if (check.method === 'admin_password_login' && check.accepted) {
    return { outcome: 'already_set', details: checkDetails(check) };
  }
  const target = await adminTarget(pending, deps);
  try {
    await setAdminUserInfo(
      deps.voximplant,
      { adminUserId: pending.admin_user_id, password: pending.password },
      {
        deadline: ctx.deadline,
        idempotencyKey: idempotencyKey(IDEMPOTENCY_SOURCE, ctx.token),
        ...(target.jwtAccountId === undefined ? {} : { accountId: target.jwtAccountId }),
        // After a lost answer, ask the login whether the new password took (a password cannot be read back).
        verify: () => verifyPasswordSet(pending, check, deps, ctx.deadline),
      },
    );
  } catch (error) {
    // The password is 32 fresh random characters: if Voximplant says it was used before, it was used by an
    // earlier run of this step whose answer was lost.
    if (error instanceof VoximplantError && error.voximplantCode === PASSWORD_ALREADY_USED) {
      return { outcome: 'already_set', details: { ...checkDetails(check), reason: 'password_already_used' } };
    }
    throw error;
  }
  return { outcome: 'password_set', details: { admin_user_id: pending.admin_user_id, ...checkDetails(check) } };
}

async function verifyPasswordSet(
  pending: AdminPasswordSecret,
  check: PasswordCheck,
  deps: AdminPasswordRotationDeps,
  deadline: Deadline,
): Promise<boolean> {
  if (check.method !== 'admin_password_login') return false;
  const target = await adminTarget(pending, deps);
  const admin = await secretAdmin(pending, target, deps, deadline);
  return (await loginWith(pending, admin, target, deps, deadline)).accepted;
}

async function testSecret(ctx: StepContext, deps: AdminPasswordRotationDeps): Promise<StepOutcome> {
  const pending = await readPending(ctx, adminPasswordSecretSchema, ADMIN_PASSWORD_SECRET);
  if (pending === undefined) return configurationTest();
  const check = await checkAdminPassword(pending, deps, ctx.deadline);
  if (check.method === 'admin_by_id') {
    ctx.logger.warn('pending password not proven: checked the admin by id only', {
      secret_id: ctx.secretId,
      admin_user_id: pending.admin_user_id,
      ...checkDetails(check),
    });
    return { outcome: 'admin_found', details: checkDetails(check) };
  }
  if (!check.accepted) {
    throw new RotationError(
      'password_refused',
      `the admin login refused the AWSPENDING password of admin ${pending.admin_user_id} (${check.code ?? 'refused'}); ` +
        'setSecret has not taken effect, or the admin password login is not available for this account ' +
        '(then set ROTATION_PASSWORD_CHECK=admin-by-id)',
    );
  }
  return { outcome: 'password_works', details: checkDetails(check) };
}

async function finishSecret(ctx: StepContext): Promise<StepOutcome> {
  // Never make a value-less version current: every reader of the secret would fail.
  await requirePending(ctx, adminPasswordSecretSchema, ADMIN_PASSWORD_SECRET);
  await moveCurrentToToken(ctx);
  return { outcome: 'current_moved' };
}
