import type { ScimRecord } from '../state/scim-records';
import { type AdminUser, getAdminById } from '../voximplant/admin-users';
import type { CallOptions } from '../voximplant/client';
import { notFound } from './protocol/scim-error';
import type { ScimContext } from './scim-deps';

export interface LiveUser {
  record: ScimRecord;
  admin: AdminUser;
}

export function callOptions(ctx: ScimContext): CallOptions {
  return { deadline: ctx.deadline };
}

/** `id` is the admin_user_id (docs/CONTRACT.md#scim): a positive integer, or no such user. */
export function parseUserId(text: string): number {
  const id = /^[1-9]\d{0,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw notFound(`no user has the id "${text.slice(0, 40)}"`);
  return id;
}

/** A live record, or 404: no tombstone either, as RFC 7644 §3.6 says a deleted id answers 404 to every operation. */
export async function loadLiveRecord(ctx: ScimContext, id: number): Promise<ScimRecord> {
  const record = await ctx.deps.records.get(id);
  if (record === undefined || record.deletedAt !== undefined) throw notFound(`no user has the id "${id}"`);
  return record;
}

/**
 * A SCIM user that exists now: a live record and the admin it stands for still in Voximplant (it may have been
 * deleted there directly).
 */
export async function loadLiveUser(ctx: ScimContext, id: number): Promise<LiveUser> {
  const record = await loadLiveRecord(ctx, id);
  const admin = await getAdminById(ctx.deps.apply.voximplant, id, callOptions(ctx));
  if (admin === undefined) throw notFound(`the user "${id}" no longer exists in Voximplant`);
  return { record, admin };
}
