import { isDeepStrictEqual } from 'node:util';
import type { HttpResponse } from '../http/http-message';
import type { ScimRecord } from '../state/scim-records';
import type { AdminUser } from '../voximplant/admin-users';
import { findAdminsIgnoringCase } from './admin-lookup';
import { applyScimChange, refuseProtected, refuseProtectedName, scimChange } from './apply-scim-change';
import {
  adminAfter,
  adminChangesFor,
  assertedByPut,
  HELD_ATTRIBUTES,
  type HeldAttribute,
  validateHeld,
  withAdminValues,
} from './held-attributes';
import { normalizeUserBody, type UserAttributes } from './protocol/normalize';
import { applyPatch, readPatchOperations } from './protocol/patch';
import { ScimError } from './protocol/scim-error';
import { scimJson, scimNoContent } from './protocol/scim-response';
import type { ScimContext } from './scim-deps';
import { callOptions, type LiveUser, loadLiveUser, parseUserId } from './user-loader';
import { userResource } from './user-resource';

/**
 * `PUT /Users/{id}` (RFC 7644 §3.5.1): the body replaces the user. Read-only `id` and `meta` are ignored, unknown
 * attributes too; a missing userName is 400 and nothing is changed. Only what the IdP changed since it last wrote
 * reaches Voximplant (assertedByPut): Okta's AIW apps send a full PUT for every update, deactivation included, and
 * that deactivation is one SetAdminUserInfo with admin_user_active=false.
 */
export async function replaceUser(
  ctx: ScimContext,
  idText: string,
  body: Record<string, unknown>,
): Promise<HttpResponse> {
  const user = await loadWritableUser(ctx, parseUserId(idText));
  const input = normalizeUserBody(body);
  validateHeld(input.attributes, input.password);
  if (input.ignored.length > 0) ctx.deps.apply.logger.debug('scim attributes ignored', { ignored: input.ignored });
  const asserted = assertedByPut(input.attributes, user.record.attributes);
  const { record, admin } = await write(ctx, user, 'put', input.attributes, asserted, input.password);
  return scimJson(200, userResource(record, admin, ctx.baseUrl));
}

/**
 * `PATCH /Users/{id}` (RFC 7644 §3.5.2): the operations apply to the user as the IdP sees it (GET), in order, and
 * the attributes they name are sent to Voximplant when they differ from what it holds: Entra's
 * `{"op":"Replace","path":"active","value":"False"}` and Okta's `{"op":"replace","value":{"active":false}}` are each
 * one SetAdminUserInfo with admin_user_active=false. Answers 204 (the Microsoft suite asserts it; RFC 7644 allows
 * it, and Entra and Okta accept it).
 */
export async function patchUser(ctx: ScimContext, idText: string, body: unknown): Promise<HttpResponse> {
  const operations = readPatchOperations(body);
  const user = await loadWritableUser(ctx, parseUserId(idText));
  const result = applyPatch(withAdminValues(user.record.attributes, user.admin), operations);
  validateHeld(result.attributes, result.password);
  if (result.ignored.length > 0) ctx.deps.apply.logger.debug('scim attributes ignored', { ignored: result.ignored });
  const asserted = new Set(HELD_ATTRIBUTES.filter((a) => result.touched.has(a)));
  // The record keeps what the IdP wrote: held attributes the operations did not name keep their recorded value,
  // not the Voximplant value they were patched over.
  const attributes = { ...result.attributes };
  for (const name of HELD_ATTRIBUTES) {
    if (asserted.has(name)) continue;
    if (user.record.attributes[name] === undefined) delete attributes[name];
    else attributes[name] = user.record.attributes[name];
  }
  await write(ctx, user, 'patch', attributes, asserted, result.password, result.attributes);
  return scimNoContent();
}

/** A live user that SCIM may change: protected admins are refused before anything is written. */
async function loadWritableUser(ctx: ScimContext, id: number): Promise<LiveUser> {
  const user = await loadLiveUser(ctx, id);
  refuseProtected(ctx, user.admin);
  return user;
}

/**
 * Voximplant first (through the apply core), then the record: Voximplant is the truth for the held attributes, and
 * if the record write fails the IdP's retry finds Voximplant already right and sends nothing twice.
 */
async function write(
  ctx: ScimContext,
  user: LiveUser,
  operation: 'put' | 'patch',
  attributes: UserAttributes,
  asserted: ReadonlySet<HeldAttribute>,
  password: string | undefined,
  wanted: UserAttributes = attributes,
): Promise<{ record: ScimRecord; admin: AdminUser }> {
  const set = adminChangesFor(wanted, user.admin, asserted, password);
  if (set.name !== undefined) {
    refuseProtectedName(ctx, set.name);
    await refuseTakenName(ctx, set.name, user.admin.admin_user_id);
  }
  let admin = user.admin;
  if (Object.keys(set).length > 0) {
    const outcome = await applyScimChange(ctx, scimChange(ctx, operation, user.admin.admin_user_id, set));
    admin = adminAfter(user.admin, set, outcome.applied);
  }
  if (isDeepStrictEqual(attributes, user.record.attributes)) return { record: user.record, admin };
  const record = await ctx.deps.records.update(user.record, {
    attributes,
    lastModified: new Date(ctx.receivedAt).toISOString(),
  });
  return { record, admin };
}

/** userName is unique ignoring case (RFC 7643 §4.1): a rename onto another admin's name is 409 before any write. */
async function refuseTakenName(ctx: ScimContext, name: string, selfId: number): Promise<void> {
  const taken = await findAdminsIgnoringCase(ctx.deps.apply.voximplant, name, callOptions(ctx));
  if (taken.some((a) => a.admin_user_id !== selfId)) {
    throw new ScimError(409, `another Voximplant admin already has the userName "${name}"`, { scimType: 'uniqueness' });
  }
}
