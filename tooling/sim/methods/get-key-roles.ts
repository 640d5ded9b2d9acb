import type { MethodContext, MethodResult } from '../method-context';
import { ownKey, roleViews } from './key-access';

/**
 * GetKeyRoles (https://voximplant.com/docs/references/httpapi/rolesystem): `[{role_id, role_name}]`;
 * `with_expanded_roles` is accepted (no role inherits).
 */
export function getKeyRoles(ctx: MethodContext): MethodResult {
  const key = ownKey(ctx);
  ctx.params.bool('with_expanded_roles');
  return { result: roleViews(key) };
}
