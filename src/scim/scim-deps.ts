import type { ApplyDeps } from '../apply/apply-change';
import type { AuditSink } from '../audit/audit-sink';
import type { ProtectedAdmins } from '../events/protected-admins';
import type { SecretSource } from '../ingress/ingress-deps';
import type { Deadline } from '../runtime/deadline';
import type { ScimRecordStore } from '../state/scim-records';
import type { ScimConfig } from './scim-config';
import type { ScimTokenSecret } from './token-secret';

/** What the SCIM function is built from, once per container; tests wire the same with local parts. */
export interface ScimDeps {
  tokens: SecretSource<ScimTokenSecret>;
  records: ScimRecordStore;
  /** The apply core's collaborators (the worker's too): Voximplant client, state stores, protected guard, clock. */
  apply: ApplyDeps;
  /** PROTECTED_ADMIN_USERS, checked before anything is written, record-only changes included. */
  protectedAdmins: ProtectedAdmins;
  config: ScimConfig;
  /** A unique id per request; it keys the request's change (see apply-scim-change.ts). Default randomUUID. */
  newRequestId?: () => string;
  /** The password of an admin created without one. Default generatePassword. */
  newPassword?: () => string;
  /** Counts one named occurrence (an EMF metric in Lambda). */
  count?: (metric: string, value?: number) => void;
  /** The audit history (src/audit/): one record per outcome of the apply core. */
  audit?: AuditSink;
}

/** One request's view: the deps plus its deadline, receive time, id and the base URL for `meta.location`. */
export interface ScimContext {
  deps: ScimDeps;
  deadline: Deadline;
  /** Epoch ms when the request arrived: the change time for the ordering guard. */
  receivedAt: number;
  requestId: string;
  baseUrl: string;
}
