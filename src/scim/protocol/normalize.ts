import { isDeepStrictEqual } from 'node:util';
import { type AttributePath, definitionOfAttr, isPlainObject, keyOf, parseAttributePath } from './attribute-path';
import { type AttributeDefinition, CORE_USER_SCHEMA, findByName, schemaById } from './schema';
import { toBoolean } from './scim-boolean';
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
 * - names qualified with their schema URN (RFC 7644 §3.10: `urn:…:core:2.0:User:active`), and the core attributes
 *   wrapped in an object keyed by the core schema URN (`{"urn:…:core:2.0:User": {"active": false}}`), the way
 *   extension attributes are: both mean the core attributes themselves;
 * - booleans as strings (`"active": "True"`: Entra's Switch() mapping, and the Microsoft suite posts it);
 * - explicit nulls and empty strings (Entra sends `"title": null`): unassigned (RFC 7643 §2.5);
 * - `meta`, `id`, `groups`, `schemas` (read-only or computed): ignored;
 * - misspelt or unknown attributes: ignored, not echoed (the Microsoft suite checks a misspelt key is not returned).
 * Extension objects of schemas we do not declare (Okta and Entra custom extensions) are kept as sent, minus nulls,
 * so what an IdP wrote it can read back. One attribute given twice with different values (`active` and
 * `Active`, or `active` beside the core-schema object) is 400 invalidValue: which one was meant cannot be known, and
 * guessing could leave an admin active that the IdP deactivated.
 */
export function normalizeUserBody(body: Record<string, unknown>): NormalizedUser {
  const reader = new BodyReader();
  for (const [key, value] of Object.entries(body)) {
    if (!isCoreSchemaUrn(key)) {
      reader.entry(key, value);
      continue;
    }
    if (value === null) continue;
    if (!isPlainObject(value)) throw badRequest('invalidValue', `${CORE_USER_SCHEMA} must be an object of attributes`);
    for (const [inner, innerValue] of Object.entries(value)) {
      if (/^urn:/i.test(inner) && !isCoreQualifiedName(inner)) {
        throw badRequest('invalidValue', `${CORE_USER_SCHEMA} holds core attributes only, not ${inner.slice(0, 120)}`);
      }
      reader.entry(inner, innerValue);
    }
  }
  const { attributes, ignored, password } = reader;
  if (password !== undefined) return { attributes, password, ignored };
  return { attributes, ignored };
}

/** The core User schema URN itself (case-insensitively, as schemaById compares). */
export function isCoreSchemaUrn(key: string): boolean {
  return schemaById(key)?.id === CORE_USER_SCHEMA;
}

/** `urn:…:core:2.0:User:<attr>`: a core attribute named with its schema URN. */
function isCoreQualifiedName(key: string): boolean {
  const colon = key.lastIndexOf(':');
  return colon > 0 && isCoreSchemaUrn(key.slice(0, colon));
}

/** Reads the entries of one body into canonical attributes, refusing an attribute given twice differently. */
class BodyReader {
  readonly attributes: UserAttributes = {};
  readonly ignored: string[] = [];
  password: string | undefined;
  /** What each attribute was given as, by `schema|attr` (lower case), nulls included. */
  private readonly seen = new Map<string, unknown>();

  entry(key: string, value: unknown): void {
    const lower = key.toLowerCase();
    if (lower === 'schemas' || lower === 'id' || lower === 'meta' || lower === 'groups') return;
    if (lower === 'password') {
      this.setPassword(value);
      return;
    }
    const extension = schemaById(key);
    if (extension !== undefined && extension.id !== CORE_USER_SCHEMA) {
      if (value === null) return;
      if (!isPlainObject(value)) throw badRequest('invalidValue', `${extension.id} must be an object`);
      for (const [subKey, subValue] of Object.entries(value)) {
        const def = findByName(extension.attributes, subKey);
        if (def === undefined) {
          this.ignored.push(`${extension.id}:${subKey}`);
          continue;
        }
        this.set({ schema: extension.id, attr: def.name }, normalizeAttributeValue(def, subValue, def.name));
      }
      return;
    }
    if (/^urn:/i.test(key) && isPlainObject(value)) {
      // A custom extension (`urn:…:CustomExtension:2.0:User`) as one object: kept as sent, minus nulls.
      this.setCustomExtension(key, withoutNulls(value));
      return;
    }
    const path = parseAttributePath(key);
    if (path === undefined || path.sub !== undefined) {
      this.ignored.push(key);
      return;
    }
    if (path.schema !== undefined && schemaById(path.schema) === undefined) {
      // One attribute of a custom extension, named with its URN.
      this.set(path, withoutNulls(value));
      return;
    }
    if (path.attr === '') return;
    const def = definitionOfAttr(path);
    if (def === undefined || def.mutability === 'readOnly') {
      if (def === undefined) this.ignored.push(key);
      return;
    }
    if (def.name === 'password') {
      this.setPassword(value);
      return;
    }
    this.set(path, normalizeAttributeValue(def, value, def.name));
  }

  private once(seenKey: string, value: unknown, shown: string): void {
    if (this.seen.has(seenKey) && !isDeepStrictEqual(this.seen.get(seenKey), value)) {
      throw badRequest('invalidValue', `${shown} is given more than once, with different values`);
    }
    this.seen.set(seenKey, value);
  }

  private setPassword(value: unknown): void {
    const password = passwordValue(value);
    // Never quote the value: it is a password.
    this.once('|password', password, 'password');
    this.password = password;
  }

  private set(path: AttributePath, value: unknown): void {
    const schema = path.schema?.toLowerCase() ?? '';
    if (path.schema !== undefined && this.seen.has(`${schema}|*`)) {
      throw badRequest('invalidValue', `${path.schema} is given both as an object and attribute by attribute`);
    }
    this.once(
      `${schema}|${path.attr.toLowerCase()}`,
      value,
      path.schema === undefined ? path.attr : `${path.schema}:${path.attr}`,
    );
    setAttribute(this.attributes, path, value);
  }

  private setCustomExtension(urn: string, value: unknown): void {
    const lower = urn.toLowerCase();
    if ([...this.seen.keys()].some((k) => k.startsWith(`${lower}|`) && k !== `${lower}|*`)) {
      throw badRequest('invalidValue', `${urn} is given both as an object and attribute by attribute`);
    }
    this.once(`${lower}|*`, value, urn);
    if (value !== undefined) this.attributes[keyOf(this.attributes, urn) ?? urn] = value;
  }
}

function setAttribute(attributes: UserAttributes, path: AttributePath, value: unknown): void {
  if (value === undefined) return;
  if (path.schema === undefined) {
    attributes[path.attr] = value;
    return;
  }
  const key = keyOf(attributes, path.schema) ?? path.schema;
  const holder = isPlainObject(attributes[key]) ? (attributes[key] as UserAttributes) : {};
  holder[path.attr] = value;
  attributes[key] = holder;
}

function passwordValue(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
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
