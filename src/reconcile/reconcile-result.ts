import type { ReconciledAttribute } from './find-drift';

/** What was done about one drifted version. */
export type DriftAction =
  /** RECONCILE_MODE=report (or `--dry-run`): recorded and alerted only. */
  | 'reported'
  /** Applied again; Voximplant holds the recorded value. */
  | 'repaired'
  /** A newer change was applied meanwhile: it stands, nothing was undone. */
  | 'overtaken'
  /** Not done this run (a change in flight, a transient failure); the next run tries again. */
  | 'held'
  /** Refused by a rule of the apply step or by Voximplant; see error_code. */
  | 'failed';

export interface DriftRecord {
  account: string;
  admin_user_id: number;
  admin_user_name: string;
  attributes: { attribute: ReconciledAttribute; desired: boolean | string; live: boolean | string }[];
  /** The change whose value Voximplant no longer held. */
  source: string;
  event_id: string;
  action: DriftAction;
  error_code?: string;
}

export interface ReconcileFailure {
  account: string;
  admin_user_id?: number;
  error_code: string;
  message: string;
}

export interface ReconcileResult {
  run_id: string;
  mode: 'repair' | 'report';
  started_at: string;
  finished_at: string;
  /** Accounts read; managed admins (with ordering versions) and those found live and compared. */
  accounts: number;
  managed: number;
  checked: number;
  /** Live admins the bridge never changed: counted, never written. */
  unmanaged: number;
  /** Live admins on PROTECTED_ADMIN_USERS: never compared, never written. */
  protected: number;
  /** Managed admins Voximplant no longer lists (deleted outside the bridge). */
  missing: number;
  /** Versions written before values and sources were stored: not comparable. */
  unknown: number;
  drift: DriftRecord[];
  drift_found: number;
  drift_repaired: number;
  failures: ReconcileFailure[];
  /** False when the run stopped early (time ran out, or an account could not be read). */
  complete: boolean;
}
