import * as z from 'zod';
import type { VoximplantCaller } from './admin-user';
import { type CallOptions, serverResult } from './client';

/**
 * GetAccountInfo's `result`
 * (https://docs.voximplant.ai/api-reference/management-api/reference/accounts/get-account-info); only the fields the
 * bridge reads are typed, the rest kept.
 */
export const accountInfoSchema = z.looseObject({
  account_id: z.coerce.number().int(),
  account_name: z.string().optional(),
  account_email: z.string().optional(),
  active: z.boolean().optional(),
  frozen: z.boolean().optional(),
  /** The API function names the calling key may use. */
  access_entries: z.array(z.string()).optional(),
});

export type AccountInfo = z.infer<typeof accountInfoSchema>;

/**
 * The cheap "who am I": a success proves key, kid, account and clock are all good (our inference: the
 * call needs a valid token and nothing else).
 * `return_live_balance=false` keeps it cheap (the default is true). `apiAddress` is the API's "preferred address
 * for the Management API requests"; `serverDate` the Date header, for a clock check.
 */
export async function getAccountInfo(
  client: VoximplantCaller,
  opts: CallOptions,
): Promise<{ account: AccountInfo; apiAddress?: string; serverDate?: string }> {
  const method = 'GetAccountInfo';
  const out = await client.call(
    method,
    { return_live_balance: false },
    { ...opts, verify: undefined },
    accountInfoSchema,
  );
  const apiAddress = typeof out.body.api_address === 'string' ? out.body.api_address : undefined;
  return {
    account: serverResult(method, out),
    ...(apiAddress === undefined ? {} : { apiAddress }),
    ...(out.serverDate === undefined ? {} : { serverDate: out.serverDate }),
  };
}
