import { randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#%*+-=?@^_';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

/** 24 characters from 69 symbols: about 146 bits. */
const GENERATED_PASSWORD_LENGTH = 24;

/**
 * The password of an admin that SCIM creates without one (AddAdminUser requires a password). Voximplant documents
 * only "at least 6 symbols" for admin users and refuses whitespace (524); newer APIs want >= 8 with upper, lower,
 * digit and special character (SetUserInfo, AddSubUser: the official Node client's `AddSubUserRequest`,
 * @voximplant/apiclient-nodejs dist/Interfaces.d.ts), so every class is present in case that applies here
 * too. It is never stored, logged or returned: the person signs in through SSO or resets it.
 */
export function generatePassword(length = GENERATED_PASSWORD_LENGTH): string {
  const chars = [UPPER, LOWER, DIGITS, SYMBOLS].map(pick);
  while (chars.length < length) chars.push(pick(ALL));
  // Fisher-Yates with a CSPRNG, so the guaranteed classes are not always at the start.
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)]!;
}
