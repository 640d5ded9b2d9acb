import type { AdminTarget } from './admin-change';

/**
 * CONTRACT §9: `<account_id or "main">/id:<admin_user_id>` or `<account_id or "main">/name:<admin_user_name>`.
 * SQS FIFO delivers one group in order, so all changes to one admin queue behind each other.
 */
export function messageGroupId(target: AdminTarget): string {
  const account = target.accountId === undefined ? 'main' : String(target.accountId);
  return target.adminUserId !== undefined
    ? `${account}/id:${target.adminUserId}`
    : `${account}/name:${target.adminUserName}`;
}
