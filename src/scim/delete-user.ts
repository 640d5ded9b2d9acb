import type { HttpResponse } from '../http/http-message';
import { delAdminUser, getAdminById } from '../voximplant/admin-users';
import {
  applyScimChange,
  dryRunRefusal,
  refuseProtected,
  SCIM_SOURCE,
  scimChange,
  scimIdempotencyKey,
} from './apply-scim-change';
import { scimNoContent } from './protocol/scim-response';
import type { ScimContext } from './scim-deps';
import { callOptions, loadLiveRecord, parseUserId } from './user-loader';

/**
 * `DELETE /Users/{id}` (RFC 7644 §3.6): 204, and from then on the id answers 404. Entra sends it for a hard delete
 * (30 days after a soft delete, or a purge); Okta never does.
 * - SCIM_DELETE_MODE=deactivate (default): admin_user_active=false through the apply core (one SetAdminUserInfo,
 *   none when the admin is inactive already), then a tombstone. Voximplant has no "deleted" state that keeps the
 *   admin's history, and a deactivation can be undone.
 * - SCIM_DELETE_MODE=delete: DelAdminUser by id, then the record goes.
 * An admin already deleted in Voximplant directly only loses its record.
 */
export async function deleteUser(ctx: ScimContext, idText: string): Promise<HttpResponse> {
  const { deps } = ctx;
  const id = parseUserId(idText);
  const record = await loadLiveRecord(ctx, id);
  const at = new Date(ctx.receivedAt).toISOString();
  const admin = await getAdminById(deps.apply.voximplant, id, callOptions(ctx));
  if (admin === undefined) {
    await deps.records.tombstone(record, at);
    audit(ctx, id, 'already_gone');
    return scimNoContent();
  }
  refuseProtected(ctx, admin);

  if (deps.config.SCIM_DELETE_MODE === 'delete') {
    if (deps.apply.dryRun) throw dryRunRefusal(ctx, 'DelAdminUser', { required_admin_user_id: id }, 'deleted');
    await delAdminUser(deps.apply.voximplant, id, { ...callOptions(ctx), idempotencyKey: scimIdempotencyKey(ctx) });
    await deps.records.remove(id);
    audit(ctx, id, 'deleted');
    return scimNoContent();
  }

  if (admin.admin_user_active) await applyScimChange(ctx, scimChange(ctx, 'delete', id, { active: false }));
  await deps.records.tombstone(record, at);
  audit(ctx, id, 'deactivated');
  return scimNoContent();
}

function audit(ctx: ScimContext, adminUserId: number, outcome: string): void {
  ctx.deps.apply.logger.info('audit', {
    source: SCIM_SOURCE,
    type: 'scim.delete',
    request_id: ctx.requestId,
    admin_user_id: adminUserId,
    outcome,
  });
}
