import type { HttpResponse } from '../http/http-message';
import { type AdminUser, getAdminById } from '../voximplant/admin-users';
import { findAdminsIgnoringCase, listAllAdmins } from './admin-lookup';
import { listResponse } from './protocol/discovery';
import type { Filter } from './protocol/filter';
import { matchesFilter } from './protocol/filter-match';
import type { ListQuery } from './protocol/list-query';
import { projectResource } from './protocol/projection';
import { scimJson } from './protocol/scim-response';
import type { ScimContext } from './scim-deps';
import { callOptions, type LiveUser, loadLiveUser, parseUserId } from './user-loader';
import { userResource } from './user-resource';

export async function getUser(ctx: ScimContext, idText: string, query: ListQuery): Promise<HttpResponse> {
  const { record, admin } = await loadLiveUser(ctx, parseUserId(idText));
  const resource = userResource(record, admin, ctx.baseUrl);
  return scimJson(200, projectResource(resource, query.attributes, query.excludedAttributes));
}

/**
 * `GET /Users` and `POST /Users/.search`: the admins that have a live SCIM record (docs/CONTRACT.md#scim), as
 * Voximplant holds them now, filtered and paged in admin_user_id order. A query always answers 200 with a ListResponse,
 * also with no match: Entra's "Test connection" filters on a random userName and fails on anything else.
 */
export async function listUsers(ctx: ScimContext, query: ListQuery): Promise<HttpResponse> {
  const users = await candidates(ctx, query.filter);
  const resources = users
    .map(({ record, admin }) => userResource(record, admin, ctx.baseUrl))
    .filter((resource) => query.filter === undefined || matchesFilter(query.filter, resource));
  const page = resources.slice(query.startIndex - 1, query.startIndex - 1 + query.count);
  return scimJson(
    200,
    listResponse(
      page.map((r) => projectResource(r, query.attributes, query.excludedAttributes)),
      resources.length,
      query.startIndex,
    ),
  );
}

/**
 * The users a filter can match. `userName eq "…"` is what IdPs send before every create and on every sync, so it
 * costs one GetAdminUsers by name and one record read per hit; any other filter reads all records and all admins.
 */
async function candidates(ctx: ScimContext, filter: Filter | undefined): Promise<LiveUser[]> {
  const { records } = ctx.deps;
  const voximplant = ctx.deps.apply.voximplant;
  const opts = callOptions(ctx);
  const userName = filter === undefined ? undefined : requiredUserName(filter);
  if (userName !== undefined) {
    const admins = await findAdminsIgnoringCase(voximplant, userName, opts);
    const found = await Promise.all(
      admins.map(async (admin) => ({ admin, record: await records.get(admin.admin_user_id) })),
    );
    return found
      .filter((u): u is LiveUser => u.record !== undefined && u.record.deletedAt === undefined)
      .sort((a, b) => a.admin.admin_user_id - b.admin.admin_user_id);
  }
  const live = (await records.list()).filter((r) => r.deletedAt === undefined);
  if (live.length === 0) return [];
  // A handful of users cost fewer calls one by one than paging through every admin of the account.
  const admins: AdminUser[] =
    live.length <= 2
      ? (await Promise.all(live.map((r) => getAdminById(voximplant, r.adminUserId, opts)))).filter(
          (a): a is AdminUser => a !== undefined,
        )
      : await listAllAdmins(voximplant, opts);
  const byId = new Map(admins.map((a) => [a.admin_user_id, a]));
  return live.flatMap((record) => {
    const admin = byId.get(record.adminUserId);
    return admin === undefined ? [] : [{ record, admin }];
  });
}

/** The value of a `userName eq "…"` the whole filter requires (alone, or and-ed with anything). */
function requiredUserName(filter: Filter): string | undefined {
  if (filter.op === 'and') return requiredUserName(filter.left) ?? requiredUserName(filter.right);
  if (
    filter.op === 'eq' &&
    filter.path.schema === undefined &&
    filter.path.attr === 'userName' &&
    filter.path.sub === undefined &&
    filter.path.valueFilter === undefined &&
    typeof filter.value === 'string' &&
    filter.value !== ''
  ) {
    return filter.value;
  }
  return undefined;
}
