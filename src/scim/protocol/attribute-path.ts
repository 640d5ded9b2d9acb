import {
  type AttributeDefinition,
  CORE_USER_SCHEMA,
  coreAttribute,
  ENTERPRISE_USER_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA,
  findByName,
  schemaById,
} from './schema';

/**
 * Where an attribute lives in a resource (RFC 7644 §3.10 `attrPath`): core and common attributes at the top,
 * extension attributes under the extension's URN key. Known names are stored in their canonical spelling, so a
 * resource never holds `Department` and `department` side by side.
 */
export interface AttributePath {
  /** The extension URN (canonical spelling when known); undefined for core and common attributes. */
  schema?: string;
  /** The attribute name, canonical when the schema knows it; '' when the path names a whole extension. */
  attr: string;
  sub?: string;
}

/** Parses `name.givenName`, `urn:…:enterprise:2.0:User:manager.value`, `urn:…:core:2.0:User:userName`. */
export function parseAttributePath(text: string): AttributePath | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  let schema: string | undefined;
  let rest = trimmed;
  if (/^urn:/i.test(trimmed)) {
    const whole = schemaById(trimmed);
    if (whole !== undefined) return whole.id === CORE_USER_SCHEMA ? undefined : { schema: whole.id, attr: '' };
    // Attribute names cannot contain ':' (RFC 7643 §2.1), so the URN ends at the last one.
    const colon = trimmed.lastIndexOf(':');
    schema = trimmed.slice(0, colon);
    rest = trimmed.slice(colon + 1);
    const known = schemaById(schema);
    if (known !== undefined) schema = known.id === CORE_USER_SCHEMA ? undefined : known.id;
    else if (!/^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$/i.test(schema)) return undefined;
  }
  const dot = rest.indexOf('.');
  const attrName = dot < 0 ? rest : rest.slice(0, dot);
  const subName = dot < 0 ? undefined : rest.slice(dot + 1);
  if (!isAttributeName(attrName) || (subName !== undefined && !isAttributeName(subName))) return undefined;
  return canonicalPath({
    ...(schema !== undefined && { schema }),
    attr: attrName,
    ...(subName !== undefined && { sub: subName }),
  });
}

/** ATTRNAME = ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA; `$ref` is the one reserved exception. */
function isAttributeName(name: string): boolean {
  return /^(\$ref|[A-Za-z][A-Za-z0-9_-]*)$/.test(name);
}

/** Canonical spelling for known names; an unqualified name that only the enterprise extension has moves there. */
export function canonicalPath(path: AttributePath): AttributePath {
  let schema = path.schema;
  let def = definitionOfAttr(path);
  if (schema === undefined && def === undefined) {
    const enterprise = findByName(ENTERPRISE_USER_ATTRIBUTES, path.attr);
    if (enterprise !== undefined) {
      schema = ENTERPRISE_USER_SCHEMA;
      def = enterprise;
    }
  }
  const attr = def?.name ?? path.attr;
  const sub = path.sub === undefined ? undefined : (findByName(def?.subAttributes, path.sub)?.name ?? path.sub);
  return { ...(schema !== undefined && { schema }), attr, ...(sub !== undefined && { sub }) };
}

/** The definition of the path's attribute, when the schema knows it. */
export function definitionOfAttr(path: Pick<AttributePath, 'schema' | 'attr'>): AttributeDefinition | undefined {
  if (path.schema === undefined) return coreAttribute(path.attr);
  return findByName(schemaById(path.schema)?.attributes, path.attr);
}

/** A key of an object by name, case-insensitively (stored keys are canonical; this also finds unknown ones). */
export function keyOf(obj: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

export function getField(obj: unknown, name: string): unknown {
  if (!isPlainObject(obj)) return undefined;
  const key = keyOf(obj, name);
  return key === undefined ? undefined : obj[key];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object that holds the path's attribute: the resource itself, or its extension object. */
export function holderOf(resource: Record<string, unknown>, path: AttributePath): Record<string, unknown> | undefined {
  if (path.schema === undefined) return resource;
  const ext = getField(resource, path.schema);
  return isPlainObject(ext) ? ext : undefined;
}
