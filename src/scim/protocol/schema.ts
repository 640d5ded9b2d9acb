/**
 * The SCIM schemas this service provider serves (RFC 7643 §4.1 core User, §4.3 enterprise extension, §8.7.1 the
 * schema representation). One table drives everything that depends on an attribute's definition: the `/Schemas`
 * answer, the canonical spelling of names (attribute names are case-insensitive, RFC 7643 §2.1, and IdPs send
 * `Primary`, `Department`, `Manager.Value`), the boolean coercion of Entra's `"True"`/`"False"`, case-exactness in
 * filters, and which attributes are read-only or never returned.
 */
export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type AttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'reference'
  | 'binary'
  | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: 'none' | 'server' | 'global';
  canonicalValues?: readonly string[];
  referenceTypes?: readonly string[];
  subAttributes?: readonly AttributeDefinition[];
}

type Options = Partial<Omit<AttributeDefinition, 'name' | 'type' | 'description'>>;

function attr(name: string, type: AttributeType, description: string, opts: Options = {}): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...opts,
  };
}

/**
 * The sub-attributes RFC 7643 §2.4 gives every multi-valued attribute (`value` typed per attribute). A `reference`
 * value names what it may point at (RFC 7643 §2.3.7, §7 `referenceTypes`): clients that read /Schemas to build
 * their mapping expect it on every reference attribute.
 */
function multiValuedSubs(
  valueType: AttributeType,
  what: string,
  types: readonly string[],
  referenceTypes?: readonly string[],
): AttributeDefinition[] {
  return [
    attr('value', valueType, `The ${what}.`, referenceTypes === undefined ? {} : { referenceTypes }),
    attr('display', 'string', 'A human-readable name, primarily used for display purposes.'),
    attr('type', 'string', `A label indicating the ${what}'s function.`, { canonicalValues: types }),
    attr('primary', 'boolean', `Whether this is the primary ${what}.`),
  ];
}

function multi(
  name: string,
  valueType: AttributeType,
  what: string,
  types: readonly string[],
  description: string,
  referenceTypes?: readonly string[],
): AttributeDefinition {
  return attr(name, 'complex', description, {
    multiValued: true,
    subAttributes: multiValuedSubs(valueType, what, types, referenceTypes),
  });
}

const CORE_USER_ATTRIBUTES: readonly AttributeDefinition[] = [
  attr(
    'userName',
    'string',
    'Unique identifier for the User, typically used by the user to directly authenticate to the service provider. Maps to the Voximplant admin_user_name (fewer than 50 characters).',
    { required: true, uniqueness: 'server' },
  ),
  attr('name', 'complex', "The components of the user's real name.", {
    subAttributes: [
      attr('formatted', 'string', "The full name, formatted for display (e.g., 'Ms. Barbara J Jensen, III')."),
      attr('familyName', 'string', 'The family name of the User.'),
      attr('givenName', 'string', 'The given name of the User.'),
      attr('middleName', 'string', 'The middle name(s) of the User.'),
      attr('honorificPrefix', 'string', 'The honorific prefix(es) of the User.'),
      attr('honorificSuffix', 'string', 'The honorific suffix(es) of the User.'),
    ],
  }),
  attr(
    'displayName',
    'string',
    'The name of the User, suitable for display to end-users. Maps to the Voximplant admin_user_display_name (fewer than 256 characters).',
  ),
  attr('nickName', 'string', 'The casual way to address the user in real life.'),
  attr('profileUrl', 'reference', "A fully qualified URL pointing to a page representing the User's online profile.", {
    referenceTypes: ['external'],
  }),
  attr('title', 'string', "The user's title, such as 'Vice President'."),
  attr('userType', 'string', 'Used to identify the relationship between the organization and the user.'),
  attr('preferredLanguage', 'string', "Indicates the User's preferred written or spoken language."),
  attr('locale', 'string', "Used to indicate the User's default location for purposes of localizing items."),
  attr('timezone', 'string', "The User's time zone in the 'Olson' time zone database format."),
  attr(
    'active',
    'boolean',
    "A Boolean value indicating the User's administrative status. Maps to the Voximplant admin_user_active.",
  ),
  attr(
    'password',
    'string',
    "The User's cleartext password. Write-only: sent to Voximplant as new_admin_user_password, never stored, never returned.",
    { mutability: 'writeOnly', returned: 'never' },
  ),
  multi('emails', 'string', 'email address', ['work', 'home', 'other'], 'Email addresses for the user.'),
  multi(
    'phoneNumbers',
    'string',
    'phone number',
    ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
    'Phone numbers for the User.',
  ),
  multi(
    'ims',
    'string',
    'instant messaging address',
    ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'],
    'Instant messaging addresses for the User.',
  ),
  // RFC 7643 §8.7.1: photos.value refers to an external resource.
  multi('photos', 'reference', 'photo URL', ['photo', 'thumbnail'], 'URLs of photos of the User.', ['external']),
  attr('addresses', 'complex', 'A physical mailing address for this User.', {
    multiValued: true,
    subAttributes: [
      attr('formatted', 'string', 'The full mailing address, formatted for display.'),
      attr('streetAddress', 'string', 'The full street address component.'),
      attr('locality', 'string', 'The city or locality component.'),
      attr('region', 'string', 'The state or region component.'),
      attr('postalCode', 'string', 'The zip code or postal code component.'),
      attr('country', 'string', 'The country name component.'),
      attr('type', 'string', "A label indicating the address's function.", {
        canonicalValues: ['work', 'home', 'other'],
      }),
      attr('primary', 'boolean', 'Whether this is the primary mailing address.'),
    ],
  }),
  attr('groups', 'complex', 'A list of groups to which the user belongs. This service provider has no groups.', {
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      attr('value', 'string', "The identifier of the User's group.", { mutability: 'readOnly' }),
      // RFC 7643 §8.7.1 lists both: a group may be nested in another group.
      attr('$ref', 'reference', 'The URI of the corresponding Group resource.', {
        mutability: 'readOnly',
        referenceTypes: ['User', 'Group'],
      }),
      attr('display', 'string', 'A human-readable name.', { mutability: 'readOnly' }),
      attr('type', 'string', "A label indicating the group's function.", { mutability: 'readOnly' }),
    ],
  }),
  multi('entitlements', 'string', 'entitlement', [], 'A list of entitlements for the User.'),
  multi('roles', 'string', 'role', [], 'A list of roles for the User.'),
  multi('x509Certificates', 'binary', 'certificate', [], 'A list of certificates issued to the User.'),
];

export const ENTERPRISE_USER_ATTRIBUTES: readonly AttributeDefinition[] = [
  attr('employeeNumber', 'string', 'Numeric or alphanumeric identifier assigned to a person.'),
  attr('costCenter', 'string', 'Identifies the name of a cost center.'),
  attr('organization', 'string', 'Identifies the name of an organization.'),
  attr('division', 'string', 'Identifies the name of a division.'),
  attr('department', 'string', 'Identifies the name of a department.'),
  attr('manager', 'complex', "The User's manager.", {
    subAttributes: [
      attr('value', 'string', "The id of the SCIM resource representing the User's manager."),
      attr('$ref', 'reference', "The URI of the SCIM resource representing the User's manager.", {
        referenceTypes: ['User'],
      }),
      attr('displayName', 'string', "The displayName of the User's manager.", { mutability: 'readOnly' }),
    ],
  }),
];

/** Attributes every resource has (RFC 7643 §3.1); not part of a schema's `attributes` list. */
const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = [
  attr(
    'id',
    'string',
    'A unique identifier for a SCIM resource as defined by the service provider: the Voximplant admin_user_id.',
    {
      caseExact: true,
      mutability: 'readOnly',
      returned: 'always',
      uniqueness: 'server',
    },
  ),
  attr(
    'externalId',
    'string',
    'A String that is an identifier for the resource as defined by the provisioning client.',
    {
      caseExact: true,
    },
  ),
  attr('meta', 'complex', 'Resource metadata.', {
    mutability: 'readOnly',
    subAttributes: [
      attr('resourceType', 'string', 'The name of the resource type of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
      attr('created', 'dateTime', 'The date and time the resource was added to the service provider.', {
        mutability: 'readOnly',
      }),
      attr(
        'lastModified',
        'dateTime',
        'The most recent date and time that the details of this resource were updated.',
        {
          mutability: 'readOnly',
        },
      ),
      attr('location', 'reference', 'The URI of the resource being returned.', {
        caseExact: true,
        mutability: 'readOnly',
        referenceTypes: ['uri'],
      }),
      attr('version', 'string', 'The version of the resource being returned.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
    ],
  }),
];

export interface SchemaDefinition {
  id: string;
  name: string;
  description: string;
  attributes: readonly AttributeDefinition[];
}

export const SCHEMAS: readonly SchemaDefinition[] = [
  { id: CORE_USER_SCHEMA, name: 'User', description: 'User Account', attributes: CORE_USER_ATTRIBUTES },
  {
    id: ENTERPRISE_USER_SCHEMA,
    name: 'EnterpriseUser',
    description: 'Enterprise User',
    attributes: ENTERPRISE_USER_ATTRIBUTES,
  },
];

export function findByName<T extends { name: string }>(list: readonly T[] | undefined, name: string): T | undefined {
  if (list === undefined) return undefined;
  const lower = name.toLowerCase();
  return list.find((a) => a.name.toLowerCase() === lower);
}

/** A core or common attribute by name, case-insensitively. */
export function coreAttribute(name: string): AttributeDefinition | undefined {
  return findByName(CORE_USER_ATTRIBUTES, name) ?? findByName(COMMON_ATTRIBUTES, name);
}

/** A known schema by URN, case-insensitively (URNs compare case-insensitively, RFC 8141 §3.1, for the NID part). */
export function schemaById(urn: string): SchemaDefinition | undefined {
  const lower = urn.toLowerCase();
  return SCHEMAS.find((s) => s.id.toLowerCase() === lower);
}
