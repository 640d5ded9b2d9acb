import { type AttributePath, definitionOfAttr, isPlainObject, parseAttributePath } from './attribute-path';
import { type AttributeDefinition, CORE_USER_SCHEMA, findByName, schemaById } from './schema';
import { badRequest } from './scim-error';

/**
 * A SCIM User as this service provider keeps it: core and common attributes at the top in their canonical
 * spelling, extension attributes under the extension URN, unassigned attributes absent. Never holds `password`,
 * `id`, `meta` or `schemas`: the first is write-only, the others are computed when the resource is returned.
 */
export type UserAttributes = Record<string, unknown>;

export interface NormalizedUser {
  attributes: UserAttributes;
  /** The write-only password, when the body carried one. */
  password?: string;
  /** Names in the body this service provider does not know and dropped (RFC 7644 §3.5.1 lets it ignore them). */
  ignored: string[];
}

/**
 * A POST or PUT body → the canonical form. What IdPs send beyond the RFC is accepted here, once:
 * - names in any case (`Primary`, `Department`, `Manager: {Value}`), stored in the schema's spelling;
 * - booleans as strings (`"active": "True"`: Entra's Switch() mapping, and the Microsoft suite posts it);
 * - explicit nulls and empty strings (Entra sends `"title": null`): unassigned (RFC 7643 §2.5);
 * - `meta`, `id`, `groups`, `schemas` (read-only or computed): ignored;
 * - misspelt or unknown attributes: ignored, not echoed (the Microsoft suite checks a misspelt key is not returned).
 * Extension objects of schemas we do not declare (Okta and Entra custom extensions) are kept as sent, minus nulls,
 * so what an IdP wrote it can read back.
 */
export function normalizeUserBody(body: Record<string, unknown>): NormalizedUser {
  const attributes: UserAttributes = {};
  const ignored: string[] = [];
  let password: string | undefined;
  for (const [key, value] of Object.entries(body)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas' || lower === 'id' || lower === 'meta' || lower === 'groups') continue;
    if (lower === 'password') {
      password = passwordValue(value);
      continue;
    }
    const extension = schemaById(key);
    if (extension !== undefined && extension.id !== CORE_USER_SCHEMA) {
      if (value === null) continue;
      if (!isPlainObject(value)) throw badRequest('invalidValue', `${extension.id} must be an object`);
      for (const [subKey, subValue] of Object.entries(value)) {
        const def = findByName(extension.attributes, subKey);
        if (def === undefined) {
          ignored.push(`${extension.id}:${subKey}`);
          continue;
        }
        setAttribute(
          attributes,
          { schema: extension.id, attr: def.name },
          normalizeAttributeValue(def, subValue, def.name),
        );
      }
      continue;
    }
    if (/^urn:/i.test(key) && isPlainObject(value)) {
      // A custom extension (`urn:…:CustomExtension:2.0:User`) as one object: kept as sent, minus nulls.
      const custom = withoutNulls(value);
      if (custom !== undefined) attributes[key] = custom;
      continue;
    }
    const path = parseAttributePath(key);
    if (path === undefined || path.sub !== undefined) {
      ignored.push(key);
      continue;
    }
    if (path.schema !== undefined && schemaById(path.schema) === undefined) {
      // One attribute of a custom extension, named with its URN.
      const custom = withoutNulls(value);
      if (custom !== undefined) setAttribute(attributes, path, custom);
      continue;
    }
    if (path.attr === '') continue;
    const def = definitionOfAttr(path);
    if (def === undefined || def.mutability === 'readOnly') {
      if (def === undefined) ignored.push(key);
      continue;
    }
    if (def.name === 'password') {
      password = passwordValue(value);
      continue;
    }
    setAttribute(attributes, path, normalizeAttributeValue(def, value, def.name));
  }
  if (password !== undefined) return { attributes, password, ignored };
  return { attributes, ignored };
}

function setAttribute(attributes: UserAttributes, path: AttributePath, value: unknown): void {
  if (value === undefined) return;
  if (path.schema === undefined) {
    attributes[path.attr] = value;
    return;
  }
  const holder = isPlainObject(attributes[path.schema]) ? (attributes[path.schema] as UserAttributes) : {};
  holder[path.attr] = value;
  attributes[path.schema] = holder;
}

function passwordValue(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  // Never quote the value: it is a password.
  if (typeof value !== 'string') throw badRequest('invalidValue', 'password must be a string');
  return value;
}

/** A value for an attribute → canonical form, or undefined when it is unassigned (null, "", [], {}). */
export function normalizeAttributeValue(def: AttributeDefinition, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (def.multiValued) {
    const items = (Array.isArray(value) ? value : [value])
      .map((item, i) => normalizeSingle(def, item, `${where}[${i}]`))
      .filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (Array.isArray(value)) {
    // Entra sends a single-valued complex attribute as a one-element list (`manager: [{value}]`).
    return value.length === 0 ? undefined : normalizeSingle(def, value[0], where);
  }
  return normalizeSingle(def, value, where);
}

export function normalizeSingle(def: AttributeDefinition, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (def.type) {
    case 'complex':
      return normalizeComplex(def, value, where);
    case 'boolean': {
      const b = toBoolean(value);
      if (b === undefined) throw badRequest('invalidValue', `${where} must be a boolean`);
      return b;
    }
    case 'integer':
    case 'decimal': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n) || (def.type === 'integer' && !Number.isInteger(n))) {
        throw badRequest('invalidValue', `${where} must be a number`);
      }
      return n;
    }
    default: {
      if (typeof value === 'string') return value === '' ? undefined : value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw badRequest('invalidValue', `${where} must be a string`);
    }
  }
}

function normalizeComplex(def: AttributeDefinition, value: unknown, where: string): unknown {
  if (!isPlainObject(value)) {
    // A bare value for a complex attribute that has a `value` sub-attribute (Entra's manager id).
    if ((typeof value === 'string' || typeof value === 'number') && findByName(def.subAttributes, 'value')) {
      return value === '' ? undefined : { value: String(value) };
    }
    throw badRequest('invalidValue', `${where} must be an object`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, subValue] of Object.entries(value)) {
    const sub = findByName(def.subAttributes, key);
    if (sub === undefined || sub.mutability === 'readOnly') continue;
    const normalized = normalizeSingle(sub, subValue, `${where}.${sub.name}`);
    if (normalized !== undefined) out[sub.name] = normalized;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** true/false, and the strings Entra sends for them in any case ("True", "False"). */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

/** A deep copy without nulls, empty strings, empty lists and empty objects; undefined when nothing is left. */
export function withoutNulls(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return undefined;
  if (Array.isArray(value)) {
    const items = value.map(withoutNulls).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const kept = withoutNulls(v);
      if (kept !== undefined) out[k] = kept;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return value;
}
