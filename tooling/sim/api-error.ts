/**
 * Voximplant Management API errors as the simulator answers them: HTTP 200 with `{"error":{"code":N,"msg":"..."}}`
 * (as every official client reads it). Codes and default wording come from the official PHP client's `Errors.php`
 * (synced with Voximplant's docs), so a client sees the same code and a recognisable message as in production.
 */
export const ERROR_MESSAGES: Readonly<Record<number, string>> = {
  1: 'Fatal error',
  2: 'Internal error',
  4: 'DB error',
  13: "The 'config' table error",
  100: 'Authorization failed',
  101: 'Invalid arguments',
  102: "Missing 'cmd' parameter",
  103: 'Unknown command',
  104: 'Forbidden command',
  112: 'The password must be at least 6 characters long',
  162: 'try later..',
  194: "The 'child_account_id' parameter is invalid",
  230: 'Account password change is over. Try later',
  284: "The 'admin_user_id' parameter is invalid",
  285: "The 'required_admin_user_id' parameter is invalid",
  286: "The 'required_admin_user_name' parameter is invalid",
  287: 'The admin user name length must be less than 50',
  // The PHP enum says "less than 255"; the parameter docs (and this simulator's rule) say < 256
  // (https://voximplant.com/docs/references/httpapi/adminusers).
  288: "The 'admin_user_display_name' parameter length must be less than 256",
  289: 'Exceeded the admin user count limit per account',
  290: 'The admin_user_name is not unique',
  291: "The 'admin_role_id' parameter is invalid",
  292: "The 'admin_role_name' parameter is invalid",
  314: 'Concurrent resource limit exceeded',
  340: 'Rate limit exceeded',
  362: "The 'new_admin_user_name' parameter is invalid",
  // Errors.php says "Repeat after N seconds"; the simulator always names a number, because clients parse it.
  416: 'Repeat the request after 2 seconds',
  433: 'Invalid key id.',
  435: 'Invalid role set.',
  437: 'Max number of keys exceeded.',
  440: "The 'role_id' parameter is invalid.",
  441: "The 'role_name' parameter is invalid.",
  447: 'Invalid token format.',
  449: "Using 'role_id' and 'role_name' at the same_time.",
  454: 'The token TTL exceeds the maximum limit.',
  455: 'Token issued in the future.',
  456: 'The token has expired.',
  484: 'HTTP request is rejected due to probable automatic request resend. Try again later.',
  515: 'The same operation has been performed recently. Please try again later.',
  523: 'Password is too weak',
  524: 'Password cannot contain spaces.',
  527: 'Please make a request outside VPN.',
  535: 'Please choose a password that you have not used before.',
};

export function defaultErrorMessage(code: number): string {
  return ERROR_MESSAGES[code] ?? `Error ${code}`;
}

/** One Management API error; thrown inside the simulator and turned into the `{"error":...}` body at the edge. */
export class SimApiError extends Error {
  readonly code: number;
  readonly msg: string;
  constructor(code: number, msg: string = defaultErrorMessage(code)) {
    super(msg);
    this.name = 'SimApiError';
    this.code = code;
    this.msg = msg;
  }

  toBody(): { error: { code: number; msg: string } } {
    return { error: { code: this.code, msg: this.msg } };
  }
}

/** 485 PARAMETER_CANT_BE_EMPTY_EX: "Specify the '%1$s' parameter." */
export function missingParameter(name: string): SimApiError {
  return new SimApiError(485, `Specify the '${name}' parameter.`);
}

/** 496 INVALID: "The '%1$s' parameter is invalid." */
export function invalidParameter(name: string): SimApiError {
  return new SimApiError(496, `The '${name}' parameter is invalid.`);
}

/** 458 ONLY_ONE_OF_PARAMETERS: "Specify only one of the following parameters: %1$s" */
export function onlyOneOf(names: readonly string[]): SimApiError {
  return new SimApiError(458, `Specify only one of the following parameters: ${names.join(', ')}`);
}

/** 477 LENGTH_EXCEEDED: "The '%s' parameter length must not exceed %d symbols." */
export function lengthExceeded(name: string, max: number): SimApiError {
  return new SimApiError(477, `The '${name}' parameter length must not exceed ${max} symbols.`);
}
