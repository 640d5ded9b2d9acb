import { MAX_RESULTS } from './list-query';
import {
  type AttributeDefinition,
  CORE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  SCHEMAS,
} from './schema';

/**
 * The discovery documents (RFC 7643 §5-§7). The Microsoft suite reads ServiceProviderConfig at
 * `/serviceConfiguration` too (served as an alias), checks `patch.supported`, `Resources[0].endpoint == "/Users"`
 * of ResourceTypes, and that Schemas mentions "User Account" (the core User schema's description).
 */
export function serviceProviderConfig(baseUrl: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: true },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description:
          'A static bearer token from the secret named by SCIM_TOKEN_SECRET_ID (Authorization: Bearer <token>).',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function userResourceType(baseUrl: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: CORE_USER_SCHEMA,
    schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
  };
}

export function schemaDocuments(baseUrl: string): Record<string, unknown>[] {
  return SCHEMAS.map((schema) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeDocument),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  }));
}

function attributeDocument(def: AttributeDefinition): Record<string, unknown> {
  return {
    name: def.name,
    type: def.type,
    multiValued: def.multiValued,
    description: def.description,
    required: def.required,
    caseExact: def.caseExact,
    mutability: def.mutability,
    returned: def.returned,
    uniqueness: def.uniqueness,
    ...(def.canonicalValues !== undefined &&
      def.canonicalValues.length > 0 && { canonicalValues: def.canonicalValues }),
    ...(def.referenceTypes !== undefined && { referenceTypes: def.referenceTypes }),
    ...(def.subAttributes !== undefined && { subAttributes: def.subAttributes.map(attributeDocument) }),
  };
}

/** A ListResponse (RFC 7644 §3.4.2); `Resources` is always present, even empty (the Microsoft suite compares it to []). */
export function listResponse(resources: unknown[], totalResults: number, startIndex: number): Record<string, unknown> {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
