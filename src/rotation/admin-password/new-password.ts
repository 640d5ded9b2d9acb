import { RotationError } from '../rotation-error';
import type { RandomPasswordRequest, RotationSecretStore } from '../secret-versions';

/**
 * GetRandomPassword for an admin password: long, every character class required, no whitespace (Voximplant answers 524
 * WHITESPACES_NOT_ALLOWED, apiclient-php `src/Enum/Errors.php`). 32 is Secrets Manager's own default and the AWS
 * templates' length. Quotes, backslash and backtick are left out so the value survives being pasted into a shell or a
 * JSON file by an operator in a hurry; 28 punctuation characters remain.
 */
export const NEW_PASSWORD_REQUEST: RandomPasswordRequest = Object.freeze({
  PasswordLength: 32,
  ExcludeCharacters: '"\'\\`',
  IncludeSpace: false,
  RequireEachIncludedType: true,
});

/**
 * Voximplant's documented minimum for admin passwords ("at least 6 symbols",
 * https://voximplant.com/docs/references/httpapi/adminusers).
 */
const MIN_LENGTH = 6;

export async function newAdminPassword(store: RotationSecretStore): Promise<string> {
  const password = await store.randomPassword(NEW_PASSWORD_REQUEST);
  // Defence against a misconfigured generator: the API would refuse these, after the pending version is stored.
  if (password.length < MIN_LENGTH || /\s/.test(password)) {
    throw new RotationError('secrets_manager', 'GetRandomPassword returned a password Voximplant would refuse');
  }
  return password;
}
