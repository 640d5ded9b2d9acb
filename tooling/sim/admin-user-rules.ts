import { SimApiError } from './api-error';
import { charLength } from './method-context';
import { findAdminByName, type StoredAccount } from './store';

/**
 * The parameter rules shared by AddAdminUser and SetAdminUserInfo
 * (https://voximplant.com/docs/references/httpapi/adminusers; error codes from apiclient-php `src/Enum/Errors.php`).
 * Each returns the value to store or throws the Management API's error.
 */

/** `new_admin_user_name`: not empty (362), fewer than 50 characters (287), unique in the account (290). */
export function checkNewAdminUserName(name: string, account: StoredAccount, selfId?: number): string {
  // Voximplant documents no allowed characters: refuse only what no login name can hold.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (name.trim() === '' || /[\u0000-\u001f\u007f]/.test(name)) throw new SimApiError(362);
  if (charLength(name) >= 50) throw new SimApiError(287);
  const other = findAdminByName(account, name);
  if (other && other.admin_user_id !== selfId) throw new SimApiError(290);
  return name;
}

/** `admin_user_display_name`: fewer than 256 characters (288; the
 * parameter docs say < 256 although the text of 288 in apiclient-php `src/Enum/Errors.php` says 255). */
export function checkDisplayName(displayName: string): string {
  if (charLength(displayName) >= 256) throw new SimApiError(288);
  return displayName;
}

/**
 * `new_admin_user_password`: at least 6 characters (112), no whitespace (524). The stricter policy of newer methods (>=
 * 8, mixed classes) is not documented for admin users (https://voximplant.com/docs/references/httpapi/adminusers), so
 * it is not applied here.
 */
export function checkPassword(password: string): string {
  if (charLength(password) < 6) throw new SimApiError(112);
  if (/\s/.test(password)) throw new SimApiError(524);
  return password;
}
