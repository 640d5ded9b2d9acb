import type { DriftedAttribute } from '../audit/audit-entry';
import type { AttributeVersion } from '../ordering/ordering-rule';
import type { AttributeVersions } from '../state/ordering-store';
import type { AdminUser } from '../voximplant/admin-users';

/** The attributes the reconcile run compares; a password cannot be read back, so it is never reconciled. */
export const RECONCILED_ATTRIBUTES = ['active', 'name', 'displayName'] as const;
export type ReconciledAttribute = (typeof RECONCILED_ATTRIBUTES)[number];

export interface Drift extends DriftedAttribute {
  attribute: ReconciledAttribute;
  /** The recorded version whose value Voximplant no longer holds. */
  version: AttributeVersion & { source: string };
}

function liveValue(admin: AdminUser, attribute: ReconciledAttribute): boolean | string {
  switch (attribute) {
    case 'active':
      return admin.admin_user_active;
    case 'name':
      return admin.admin_user_name;
    case 'displayName':
      return admin.admin_user_display_name;
  }
}

/**
 * Where the live admin differs from the value the bridge last applied. A version without a recorded value or source
 * (written before they were stored, src/state/ordering-store.ts) cannot be compared or restored with its provenance,
 * so it is listed as `unknown` instead.
 */
export function findDrift(
  live: AdminUser,
  versions: AttributeVersions,
): { drift: Drift[]; unknown: ReconciledAttribute[] } {
  const drift: Drift[] = [];
  const unknown: ReconciledAttribute[] = [];
  for (const attribute of RECONCILED_ATTRIBUTES) {
    const version = versions[attribute];
    if (version === undefined) continue;
    if (version.value === undefined || version.source === undefined) {
      unknown.push(attribute);
      continue;
    }
    const current = liveValue(live, attribute);
    if (current !== version.value) {
      drift.push({ attribute, desired: version.value, live: current, version: { ...version, source: version.source } });
    }
  }
  return { drift, unknown };
}
