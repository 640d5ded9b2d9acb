import { createHash } from 'node:crypto';
import type { KeyView } from '../../voximplant/keys';

const KEY_NAME_PREFIX = 'vox-admin-bridge-';

/** 8 hex characters of SHA-256 of the rotation's token: ties a key to one rotation, in a name of limited length. */
function tokenTag(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 8);
}

/**
 * A recognisable name for a key made by rotate-key: `vox-admin-bridge-YYYYMMDD-<tag>` (34 characters; CreateKey allows
 * 50, https://voximplant.com/docs/references/httpapi/rolesystem), so an operator looking at the control panel sees what
 * made it, when, and for which rotation.
 */
export function rotatedKeyName(token: string, nowMs: number): string {
  const day = new Date(nowMs).toISOString().slice(0, 10).replaceAll('-', '');
  return `${KEY_NAME_PREFIX}${day}-${tokenTag(token)}`;
}

/** The description carries the whole token (a version id, not a secret): the exact link to the secret version. */
export function rotatedKeyDescription(token: string): string {
  return `Made by vox-admin-bridge rotate-key, rotation ${token}`;
}

/**
 * A key made by an earlier run of this rotation's createSecret (matched by the token in its description, or by the
 * tag in its name). Only these are ever cleaned up by createSecret: other keys with the same prefix may belong to
 * another stage's bridge in the same Voximplant account.
 */
export function isKeyOfRotation(key: KeyView, token: string): boolean {
  if (key.description?.includes(`rotation ${token}`)) return true;
  const name = key.keyName ?? '';
  return name.startsWith(KEY_NAME_PREFIX) && name.endsWith(`-${tokenTag(token)}`);
}
