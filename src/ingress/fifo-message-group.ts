import { createHash } from 'node:crypto';
import type { AdminTarget } from '../events/admin-change';
import { messageGroupId } from '../events/message-group';

/**
 * SQS accepts a MessageGroupId of 1–128 characters from `A-Za-z0-9` and ASCII punctuation only
 * (SendMessage API reference). CONTRACT §9's group `<account>/name:<admin_user_name>` is used verbatim whenever it
 * fits; an admin name with any other character (a space, non-ASCII letters) cannot be sent as is, so such a group
 * becomes `<account>/name-sha256:<lower-case hex SHA-256 of the UTF-8 name>`. The encoding is deterministic, so
 * every change to that admin still lands in one group and keeps its order; producers that write to the queue
 * directly can compute the same value. Groups by id are always safe.
 */
const SQS_GROUP_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

export function isSqsSafeGroupId(value: string): boolean {
  return SQS_GROUP_ID.test(value);
}

export function fifoMessageGroupId(target: AdminTarget): string {
  const group = messageGroupId(target);
  if (isSqsSafeGroupId(group) || target.adminUserId !== undefined) return group;
  const account = target.accountId === undefined ? 'main' : String(target.accountId);
  const digest = createHash('sha256')
    .update(target.adminUserName ?? '', 'utf8')
    .digest('hex');
  return `${account}/name-sha256:${digest}`;
}
