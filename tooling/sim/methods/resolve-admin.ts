import { missingParameter, onlyOneOf, SimApiError } from '../api-error';
import type { Params } from '../params';
import { findAdminByName, type StoredAccount, type StoredAdmin } from '../store';

const TARGET_PARAMS = ['required_admin_user_id', 'required_admin_user_name'] as const;

/** Which one of the two target parameters a write names: both is 458, neither 485. */
function targetParam(params: Params): (typeof TARGET_PARAMS)[number] {
  const hasId = params.has('required_admin_user_id');
  const hasName = params.has('required_admin_user_name');
  if (hasId && hasName) throw onlyOneOf(TARGET_PARAMS);
  if (!hasId && !hasName) throw missingParameter(TARGET_PARAMS.join("' or '"));
  return hasId ? 'required_admin_user_id' : 'required_admin_user_name';
}

/**
 * The one admin a write names: exactly one of `required_admin_user_id` / `required_admin_user_name` (both: 458
 * ONLY_ONE_OF_PARAMETERS; neither: 485 "Specify the ... parameter"; Python and .NET refuse both cases client side;
 * https://voximplant.com/docs/references/httpapi/adminusers). An id that is not an integer or names nobody is 285; a
 * name is matched exactly and case-sensitively, and naming nobody is 286 (apiclient-php `src/Enum/Errors.php` has no
 * separate not-found code).
 */
export function resolveOneAdmin(account: StoredAccount, params: Params): StoredAdmin {
  if (targetParam(params) === 'required_admin_user_id') {
    const id = params.int('required_admin_user_id', () => new SimApiError(285));
    const admin = id === undefined ? undefined : account.admins.get(id);
    if (!admin) throw new SimApiError(285);
    return admin;
  }
  const admin = findAdminByName(account, params.string('required_admin_user_name') ?? '');
  if (!admin) throw new SimApiError(286);
  return admin;
}

/**
 * The admins a DelAdminUser names: `;` lists of ids or names
 * (https://voximplant.com/docs/references/httpapi/adminusers). All must exist or nothing is deleted. `all` ("every
 * admin user") is refused: the docs do not say whether it spares the account owner or the caller, and guessing wrong
 * would make a test pass here that fails in production.
 */
export function resolveAdminList(account: StoredAccount, params: Params): StoredAdmin[] {
  const name = targetParam(params);
  const hasId = name === 'required_admin_user_id';
  const items = params.list(name) ?? [];
  if (items.length === 0) throw missingParameter(name);
  if (items.some((i) => i.toLowerCase() === 'all')) {
    throw new SimApiError(492, `The '${name}' parameter is forbidden: the simulator does not implement 'all'.`);
  }
  const found = new Map<number, StoredAdmin>();
  for (const item of items) {
    if (hasId) {
      const admin = /^\d{1,15}$/.test(item) ? account.admins.get(Number(item)) : undefined;
      if (!admin) throw new SimApiError(285);
      found.set(admin.admin_user_id, admin);
    } else {
      const admin = findAdminByName(account, item);
      if (!admin) throw new SimApiError(286);
      found.set(admin.admin_user_id, admin);
    }
  }
  return [...found.values()];
}
