import { createHash } from 'node:crypto';
import type { AdminTarget } from './admin-change';

/**
 * The SQS FIFO MessageGroupId of an admin (docs/CONTRACT.md#message-groups):
 * `<account_id or "main">/id:<admin_user_id>` or `<account_id or "main">/name:<admin_user_name>`. SQS FIFO delivers
 * one group in order, so all changes to one admin queue behind each other.
 *
 * SQS accepts 1–128 characters from `A-Za-z0-9` and ASCII punctuation only (SendMessage API reference). A name with
 * any other character (a space, a non-ASCII letter) or too long a group cannot be sent as is, so such a group becomes
 * `<account>/name-sha256:<lower-case hex SHA-256 of the UTF-8 name>`: deterministic, so every change to that admin
 * still lands in one group, and producers that write to the queue directly can compute it. Groups by id always fit.
 */
const SQS_GROUP_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

export function isSqsSafeGroupId(value: string): boolean {
  return SQS_GROUP_ID.test(value);
}

export function messageGroupId(target: AdminTarget): string {
  const account = target.accountId === undefined ? 'main' : String(target.accountId);
  if (target.adminUserId !== undefined) return `${account}/id:${target.adminUserId}`;
  const name = target.adminUserName ?? '';
  const plain = `${account}/name:${name}`;
  if (isSqsSafeGroupId(plain)) return plain;
  return `${account}/name-sha256:${createHash('sha256').update(name, 'utf8').digest('hex')}`;
}
