import type { MethodContext, MethodResult } from '../method-context';

/**
 * GetAccountInfo (https://docs.voximplant.ai/api-reference/management-api/reference/accounts/get-account-info): who am
 * I. `access_entries` lists the methods this caller may use (the key's roles, or the admin login's two methods);
 * `api_address` is the simulator's own base URL, since that is where this "preferred address for the Management API
 * requests" lives. `return_live_balance` is accepted.
 */
export function getAccountInfo({ account, caller, params, apiUrl }: MethodContext): MethodResult {
  params.bool('return_live_balance');
  return {
    result: {
      account_id: account.account_id,
      account_name: account.account_name,
      account_email: account.account_email,
      active: true,
      frozen: false,
      access_entries: [...caller.allowed].sort(),
    },
    api_address: apiUrl,
  };
}
