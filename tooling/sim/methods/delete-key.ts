import type { MethodContext, MethodResult } from '../method-context';
import { ownKey } from './key-access';

/**
 * DeleteKey (https://voximplant.com/docs/references/httpapi/rolesystem): from now on the key's JWTs fail with 433. A
 * key may delete itself.
 */
export function deleteKey(ctx: MethodContext): MethodResult {
  ownKey(ctx).deleted = true;
  return { result: 1 };
}
