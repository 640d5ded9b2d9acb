import type { ScimRecord } from '../state/scim-records';
import type { AdminUser } from '../voximplant/admin-users';
import { withAdminValues } from './held-attributes';
import { isCoreSchemaUrn } from './protocol/normalize';
import { CORE_USER_SCHEMA } from './protocol/schema';

/** The leading attributes in a familiar order; the rest follow as stored. */
const ORDER = ['externalId', 'userName', 'name', 'displayName', 'active', 'emails'];

/**
 * A SCIM User as returned (RFC 7643 §4.1): the record's attributes with Voximplant's current name, display name
 * and active flag on top, `id` = admin_user_id (docs/CONTRACT.md#scim), `schemas` listing every extension present, and
 * `meta`. A password is never part of it: it is never stored, and any key named so is dropped here as a last guard.
 */
export function userResource(record: ScimRecord, admin: AdminUser, baseUrl: string): Record<string, unknown> {
  const attributes = withAdminValues(record.attributes, admin);
  // The core schema URN is never an attribute (a record written before it was understood may hold it): not shown.
  for (const key of Object.keys(attributes)) if (isCoreSchemaUrn(key)) delete attributes[key];
  const extensions = Object.keys(attributes).filter((k) => /^urn:/i.test(k));
  const out: Record<string, unknown> = {
    schemas: [CORE_USER_SCHEMA, ...extensions],
    id: String(admin.admin_user_id),
  };
  for (const key of ORDER) if (attributes[key] !== undefined) out[key] = attributes[key];
  for (const [key, value] of Object.entries(attributes)) {
    if (!(key in out) && key.toLowerCase() !== 'password') out[key] = value;
  }
  out.meta = {
    resourceType: 'User',
    created: record.created,
    lastModified: record.lastModified,
    location: `${baseUrl}/Users/${admin.admin_user_id}`,
  };
  return out;
}
