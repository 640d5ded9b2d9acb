import type { VoximplantCredentials } from '../../voximplant/credentials';

export interface KeyGenerations {
  /** AWSCURRENT now: becomes AWSPREVIOUS at finishSecret, and stays valid for containers that still hold it. */
  current: VoximplantCredentials;
  /** AWSPENDING (the token): becomes AWSCURRENT. */
  pending: VoximplantCredentials;
  /** AWSPREVIOUS now, if it is a key at all (it may be the setup placeholder): two generations back after the move. */
  previous?: VoximplantCredentials | undefined;
}

/**
 * The key finishSecret deletes: the one two generations back, i.e. today's AWSPREVIOUS, and only if it is
 * neither the current nor the pending key (the same credentials put in twice make two versions of one key) and
 * belongs to the same account. Never the current, previous-to-be or pending key (docs/CONTRACT.md#rotation).
 */
export function keyToRetire(keys: KeyGenerations): string | undefined {
  const { current, pending, previous } = keys;
  if (previous === undefined) return undefined;
  if (previous.key_id === current.key_id || previous.key_id === pending.key_id) return undefined;
  if (previous.account_id !== current.account_id) return undefined;
  return previous.key_id;
}
