import type { AdminAttributes } from '../events/admin-change';
import type { HttpResponse } from '../http/http-message';
import type { OrderedAttribute } from '../state/ordering-store';
import { type ScimRecord, ScimRecordConflictError } from '../state/scim-records';
import { type AdminUser, addAdminUser } from '../voximplant/admin-users';
import { bestNameMatch, findAdminsIgnoringCase } from './admin-lookup';
import {
  applyScimChange,
  dryRunRefusal,
  refuseProtected,
  refuseProtectedName,
  SCIM_SOURCE,
  scimChange,
  scimIdempotencyKey,
} from './apply-scim-change';
import { adminAfter, adminChangesFor, displayNameForCreate, type HeldAttribute, validateHeld } from './held-attributes';
import { generatePassword } from './password';
import { normalizeUserBody } from './protocol/normalize';
import { ScimError } from './protocol/scim-error';
import { scimJson } from './protocol/scim-response';
import type { ScimContext } from './scim-deps';
import { callOptions } from './user-loader';
import { userResource } from './user-resource';

/**
 * `POST /Users`. The userName is looked up among the existing admins first (exact, ignoring case):
 * - an admin with a live SCIM record: 409 uniqueness (RFC 7644 §3.3; both IdPs then match instead);
 * - an admin without one (never linked, or tombstoned by an earlier DELETE): linked (docs/CONTRACT.md#scim), and what
 *   the body asks of Voximplant (displayName, active, password) is applied to it through the apply core;
 * - none: AddAdminUser with SCIM_DEFAULT_ROLE_NAME and the given password or a generated one.
 * Everything is validated before the first write.
 */
export async function createUser(ctx: ScimContext, body: Record<string, unknown>): Promise<HttpResponse> {
  const { deps } = ctx;
  const input = normalizeUserBody(body);
  const userName = validateHeld(input.attributes, input.password);
  if (input.ignored.length > 0) deps.apply.logger.debug('scim attributes ignored', { ignored: input.ignored });
  refuseProtectedName(ctx, userName);

  const matches = await findAdminsIgnoringCase(deps.apply.voximplant, userName, callOptions(ctx));
  const existing = bestNameMatch(matches, userName);
  if (existing === undefined && matches.length > 1) {
    throw new ScimError(409, `several Voximplant admins are named "${userName}" up to case; rename one first`, {
      scimType: 'uniqueness',
    });
  }
  const { admin, attributes } =
    existing === undefined
      ? await createAdmin(ctx, input.attributes, userName, input.password)
      : await linkAdmin(ctx, existing, input.attributes, input.password);

  const at = new Date(ctx.receivedAt).toISOString();
  let record: ScimRecord;
  try {
    record = await deps.records.create({ adminUserId: admin.admin_user_id, attributes, created: at, lastModified: at });
  } catch (error) {
    // Another request linked the same admin a moment ago.
    if (error instanceof ScimRecordConflictError) throw alreadyExists(admin);
    throw error;
  }
  deps.apply.logger.info('audit', {
    source: SCIM_SOURCE,
    type: 'scim.create',
    request_id: ctx.requestId,
    admin_user_id: admin.admin_user_id,
    outcome: existing === undefined ? 'created' : 'linked',
  });
  const resource = userResource(record, admin, ctx.baseUrl);
  return scimJson(201, resource, { location: String((resource.meta as { location: string }).location) });
}

async function linkAdmin(
  ctx: ScimContext,
  existing: AdminUser,
  attributes: Record<string, unknown>,
  password: string | undefined,
): Promise<{ admin: AdminUser; attributes: Record<string, unknown> }> {
  const { deps } = ctx;
  refuseProtected(ctx, existing);
  const record = await deps.records.get(existing.admin_user_id);
  if (record !== undefined && record.deletedAt === undefined) {
    throw alreadyExists(existing);
  }
  // The admin keeps its own spelling of the name: the match ignored case, and a link renames nobody.
  const asserted = new Set<HeldAttribute>();
  if (attributes.displayName !== undefined) asserted.add('displayName');
  if (attributes.active !== undefined) asserted.add('active');
  const set = adminChangesFor(attributes, existing, asserted, password);
  let admin = existing;
  if (Object.keys(set).length > 0) {
    const outcome = await applyScimChange(ctx, scimChange(ctx, 'link', existing.admin_user_id, set));
    admin = adminAfter(existing, set, outcome.applied);
  }
  return { admin, attributes: { ...attributes, userName: admin.admin_user_name } };
}

async function createAdmin(
  ctx: ScimContext,
  attributes: Record<string, unknown>,
  userName: string,
  password: string | undefined,
): Promise<{ admin: AdminUser; attributes: Record<string, unknown> }> {
  const { deps } = ctx;
  const active = attributes.active !== false;
  const displayName = displayNameForCreate(attributes, userName);
  const roleName = deps.config.SCIM_DEFAULT_ROLE_NAME;
  if (deps.apply.dryRun) {
    const params = {
      new_admin_user_name: userName,
      admin_user_display_name: displayName,
      admin_user_active: active,
      admin_role_name: roleName,
    };
    throw dryRunRefusal(ctx, 'AddAdminUser', params, 'created');
  }
  const { adminUserId } = await addAdminUser(
    deps.apply.voximplant,
    {
      name: userName,
      displayName,
      password: password ?? (deps.newPassword ?? generatePassword)(),
      active,
      ...(roleName !== undefined && { roleName }),
    },
    { ...callOptions(ctx), idempotencyKey: scimIdempotencyKey(ctx) },
  );
  await recordOrdering(ctx, adminUserId, {
    active,
    name: userName,
    displayName,
    ...(password !== undefined && { password }),
  });
  return {
    admin: {
      admin_user_id: adminUserId,
      admin_user_name: userName,
      admin_user_display_name: displayName,
      admin_user_active: active,
    },
    attributes: { ...attributes, active },
  };
}

/**
 * Records the new admin's attributes as set at the receive time, so an HR event about an earlier moment that
 * arrives later cannot undo the creation's values. Best effort: the admin exists either way.
 */
async function recordOrdering(ctx: ScimContext, adminUserId: number, set: AdminAttributes): Promise<void> {
  const attributes = (Object.keys(set) as OrderedAttribute[]).filter((a) => set[a] !== undefined);
  try {
    await ctx.deps.apply.ordering.record({ adminUserId }, attributes, {
      timeMs: ctx.receivedAt,
      eventId: ctx.requestId,
      source: SCIM_SOURCE,
      set,
    });
  } catch (error) {
    ctx.deps.apply.logger.warn('could not record the ordering versions of a created admin', {
      admin_user_id: adminUserId,
      error: error instanceof Error ? error.name : 'unknown',
    });
  }
}

function alreadyExists(admin: AdminUser): ScimError {
  return new ScimError(
    409,
    `a user with the userName "${admin.admin_user_name}" already exists (id ${admin.admin_user_id})`,
    {
      scimType: 'uniqueness',
    },
  );
}
