import { isDeepStrictEqual } from 'node:util';
import {
  type AttributePath,
  definitionOfAttr,
  getField,
  isPlainObject,
  keyOf,
  parseAttributePath,
} from './attribute-path';
import { type Filter, parseValueFilter } from './filter';
import { matchesFilter } from './filter-match';
import {
  isCoreSchemaUrn,
  normalizeAttributeValue,
  normalizeSingle,
  type UserAttributes,
  withoutNulls,
} from './normalize';
import { type AttributeDefinition, CORE_USER_SCHEMA, findByName, schemaById } from './schema';
import { toBoolean } from './scim-boolean';
import { badRequest } from './scim-error';

export type PatchOperationName = 'add' | 'remove' | 'replace';

export interface PatchOperation {
  op: PatchOperationName;
  path?: string;
  value?: unknown;
}

export interface PatchResult {
  attributes: UserAttributes;
  password?: string;
  /** Top-level core attributes the operations named (userName, displayName, active, ...): the IdP's explicit intent. */
  touched: Set<string>;
  ignored: string[];
}

interface PatchPath extends AttributePath {
  valueFilter?: Filter;
}

/**
 * Operations one PATCH may carry. IdPs send one per changed attribute (Entra's legacy mode) or fewer, a few dozen
 * at most for a user; the bound keeps the work of one request small.
 */
export const MAX_PATCH_OPERATIONS = 100;

/**
 * The most a user's attributes may hold as JSON, as much as one POST or PUT body may carry. Each PATCH is bounded
 * by the body size, but `add` appends: without this bound, PATCHes could grow a SCIM record past DynamoDB's 400 KB
 * item limit, and every later write of that user would fail.
 */
export const MAX_USER_BYTES = 128 * 1024;

/**
 * Reads a PatchOp body (RFC 7644 §3.5.2) into operations, accepting what IdPs send: `op` in any case (Entra's legacy
 * `"Replace"`/`"Add"`), `Operations` in any case. Validates the whole list before anything is applied.
 */
export function readPatchOperations(body: unknown): PatchOperation[] {
  if (!isPlainObject(body)) throw badRequest('invalidSyntax', 'the body must be a PatchOp object');
  const list = getField(body, 'Operations');
  if (!Array.isArray(list) || list.length === 0) {
    throw badRequest('invalidSyntax', 'Operations must be a non-empty list of operations');
  }
  if (list.length > MAX_PATCH_OPERATIONS) {
    throw badRequest(
      'invalidSyntax',
      `Operations holds ${list.length} operations; at most ${MAX_PATCH_OPERATIONS} are accepted`,
    );
  }
  return list.map((raw, i) => {
    if (!isPlainObject(raw)) throw badRequest('invalidSyntax', `Operations[${i}] must be an object`);
    const op = getField(raw, 'op');
    const lower = typeof op === 'string' ? op.toLowerCase() : undefined;
    if (lower !== 'add' && lower !== 'remove' && lower !== 'replace') {
      throw badRequest('invalidSyntax', `Operations[${i}].op must be add, remove or replace`);
    }
    const path = getField(raw, 'path');
    if (path !== undefined && path !== null && typeof path !== 'string') {
      throw badRequest('invalidPath', `Operations[${i}].path must be a string`);
    }
    const value = getField(raw, 'value');
    const hasPath = typeof path === 'string' && path.trim() !== '';
    if (!hasPath && lower === 'remove') {
      throw badRequest('noTarget', `Operations[${i}]: remove needs a path`);
    }
    if (!hasPath && !isPlainObject(value)) {
      throw badRequest('invalidValue', `Operations[${i}]: without a path, value must be an object of attributes`);
    }
    return { op: lower, ...(hasPath && { path: (path as string).trim() }), ...(value !== undefined && { value }) };
  });
}

/**
 * Applies operations to a copy of the resource, in order. Beyond the RFC, for Entra:
 * - a path-less replace whose value holds dotted keys (`"name.givenName"`) and URN-qualified keys
 *   (`"urn:…:enterprise:2.0:User:employeeNumber"`), the `?aadOptscim062020` shape: each key is a path;
 * - `"value": "False"` for booleans;
 * - replace/add on `emails[type eq "work"].value` when no work email exists yet: the value is added with
 *   `type: "work"` (RFC 7644 says noTarget; Entra sends exactly this for a user created without that email);
 * - null or "" as a value: the attribute is cleared (the Entra validator's "clear attribute" test).
 * Attributes may be named with their schema URN (RFC 7644 §3.10) in a path (`urn:…:core:2.0:User:active`) and as
 * the keys of a path-less value (`{"urn:…:core:2.0:User": {"active": false}}`, `{"urn:…:enterprise:2.0:User":
 * {"department": "x"}}`): each means the attribute itself. Unknown attributes are ignored, as in PUT. Read-only `id`
 * and `meta` are refused with `mutability`, and so is unassigning `userName` (required, RFC 7644 §3.5.2.2) or
 * `active` (Voximplant has no "unassigned": an admin is active or not, and guessing which was meant could leave a
 * deprovisioned admin active).
 */
export function applyPatch(resource: UserAttributes, operations: readonly PatchOperation[]): PatchResult {
  const state: PatchResult = { attributes: structuredClone(resource), touched: new Set(), ignored: [] };
  // The core schema URN is never an attribute; a record written before it was understood may still hold it.
  for (const key of Object.keys(state.attributes)) if (isCoreSchemaUrn(key)) delete state.attributes[key];
  operations.forEach((operation, i) => {
    const where = `Operations[${i}]`;
    if (operation.path !== undefined && isCoreSchemaUrn(operation.path)) {
      // The core schema as the path: the resource itself, as without a path.
      if (operation.op === 'remove') {
        throw badRequest('mutability', `${where}: the core User attributes cannot be removed as a whole`);
      }
      if (!isPlainObject(operation.value)) {
        throw badRequest('invalidValue', `${where}: the value for ${CORE_USER_SCHEMA} must be an object of attributes`);
      }
    }
    if (operation.path === undefined || isCoreSchemaUrn(operation.path)) {
      for (const entry of pathlessEntries(operation.value as Record<string, unknown>, where, state.ignored)) {
        applyOne(state, operation.op, entry.path, entry.value, where, entry.shown);
      }
      return;
    }
    applyOne(state, operation.op, parsePatchPath(operation.path, where), operation.value, where, operation.path);
  });
  const bytes = Buffer.byteLength(JSON.stringify(state.attributes));
  if (bytes > MAX_USER_BYTES) {
    throw badRequest(
      'invalidValue',
      `the user would hold ${bytes} bytes of attributes; at most ${MAX_USER_BYTES} are kept (remove values first)`,
    );
  }
  return state;
}

interface PathlessEntry {
  path: AttributePath;
  value: unknown;
  shown: string;
}

/**
 * The attributes a path-less value names (RFC 7644 §3.5.2.1/3: "a set of attributes"), each as a path: plain and
 * dotted names, URN-qualified names, and the attributes of an object keyed by a schema URN (the core one or a known
 * extension). Names that are no attribute path are ignored, as unknown attributes are. The same attribute named
 * twice with different values is 400 invalidValue: one value object cannot mean both.
 */
function pathlessEntries(value: Record<string, unknown>, where: string, ignored: string[]): PathlessEntry[] {
  const entries: PathlessEntry[] = [];
  const seen = new Map<string, unknown>();
  const add = (path: AttributePath | undefined, entryValue: unknown, shown: string) => {
    if (path === undefined) {
      ignored.push(shown);
      return;
    }
    const key = [path.schema ?? '', path.attr, path.sub ?? ''].join('|').toLowerCase();
    if (seen.has(key) && !isDeepStrictEqual(seen.get(key), entryValue)) {
      throw badRequest('invalidValue', `${where}: ${shown} is given more than once, with different values`);
    }
    seen.set(key, entryValue);
    entries.push({ path, value: entryValue, shown });
  };
  for (const [key, entryValue] of Object.entries(value)) {
    const schema = schemaById(key);
    if (schema !== undefined && isPlainObject(entryValue)) {
      const own = schema.id === CORE_USER_SCHEMA ? undefined : schema.id;
      for (const [subKey, subValue] of Object.entries(entryValue)) {
        const qualified = /^urn:/i.test(subKey);
        const path = parseAttributePath(qualified ? subKey : `${schema.id}:${subKey}`);
        if (qualified && (path === undefined || path.attr === '' || path.schema !== own)) {
          throw badRequest(
            'invalidValue',
            `${where}: ${schema.id} holds its own attributes only, not ${subKey.slice(0, 120)}`,
          );
        }
        add(path, subValue, `${key}:${subKey}`);
      }
      continue;
    }
    if (schema?.id === CORE_USER_SCHEMA) {
      throw badRequest('invalidValue', `${where}: the value for ${CORE_USER_SCHEMA} must be an object of attributes`);
    }
    add(parseAttributePath(key), entryValue, key);
  }
  return entries;
}

function parsePatchPath(text: string, where: string): PatchPath {
  const open = text.indexOf('[');
  if (open < 0) {
    const path = parseAttributePath(text);
    if (path === undefined) throw badRequest('invalidPath', `${where}.path is not an attribute path`);
    return path;
  }
  const close = text.lastIndexOf(']');
  if (close < open) throw badRequest('invalidPath', `${where}.path has an unclosed "["`);
  const base = parseAttributePath(text.slice(0, open));
  const after = text.slice(close + 1);
  if (
    base === undefined ||
    base.sub !== undefined ||
    base.attr === '' ||
    (after !== '' && !/^\.[A-Za-z$][\w$-]*$/.test(after))
  ) {
    throw badRequest('invalidPath', `${where}.path is not an attribute path`);
  }
  const valueFilter = parseValueFilter(text.slice(open + 1, close));
  const def = definitionOfAttr(base);
  const sub = after === '' ? undefined : (findByName(def?.subAttributes, after.slice(1))?.name ?? after.slice(1));
  return { ...base, valueFilter, ...(sub !== undefined && { sub }) };
}

function applyOne(
  state: PatchResult,
  op: PatchOperationName,
  path: PatchPath,
  value: unknown,
  where: string,
  shown: string,
): void {
  if (path.attr === '' && path.schema !== undefined) {
    // The whole extension as the path: each of its attributes in turn.
    if (op === 'remove') {
      delete state.attributes[path.schema];
      return;
    }
    if (!isPlainObject(value)) throw badRequest('invalidValue', `${where}: the value for ${shown} must be an object`);
    for (const [key, subValue] of Object.entries(value)) {
      applyOne(state, op, { schema: path.schema, attr: key }, subValue, where, `${shown}:${key}`);
    }
    return;
  }
  const known = path.schema === undefined || schemaById(path.schema) !== undefined;
  const def = definitionOfAttr(path);
  if (known && def === undefined) {
    state.ignored.push(shown);
    return;
  }
  if (def?.mutability === 'readOnly') {
    if (def.name === 'groups') return; // Okta and Entra send groups; this provider has none.
    throw badRequest('mutability', `${where}: ${def.name} is read-only`);
  }
  if (def !== undefined && path.schema === undefined && path.sub === undefined)
    refuseUnassigning(def, op, value, where);
  if (path.schema === undefined) state.touched.add(def?.name ?? path.attr);
  if (def?.name === 'password' && path.schema === undefined) {
    if (op === 'remove') throw badRequest('mutability', `${where}: the password cannot be removed`);
    if (typeof value !== 'string' || value === '')
      throw badRequest('invalidValue', `${where}: password must be a string`);
    state.password = value;
    return;
  }
  const holder = holderFor(state.attributes, path, op !== 'remove');
  if (holder === undefined) return;
  const key = keyOf(holder, path.attr) ?? path.attr;
  if (def === undefined) {
    // A custom extension's attribute: kept as sent.
    setOrDelete(holder, key, op === 'remove' ? undefined : withoutNulls(value));
    cleanExtension(state.attributes, path);
    return;
  }
  if (def.multiValued) applyMultiValued(holder, key, def, path, op, value, where);
  else if (def.type === 'complex') applyComplex(holder, key, def, path, op, value, where);
  else if (path.sub !== undefined) throw badRequest('invalidPath', `${where}: ${def.name} has no sub-attributes`);
  else
    setOrDelete(holder, key, op === 'remove' ? undefined : normalizeSingle(def, unwrapSingle(value), `${where}.value`));
  cleanExtension(state.attributes, path);
}

/**
 * RFC 7644 §3.5.2.2: an attribute that is required and is removed or becomes unassigned (a null value, RFC 7643
 * §2.5) is 400 mutability: that is userName. `active` is optional in RFC 7643 §4.1.1, but its meaning is the
 * service provider's, and Voximplant's admin_user_active is always true or false: unassigning it would answer 2xx
 * and change nothing, so it is refused the same way; `replace active false` is the deprovision.
 */
function refuseUnassigning(def: AttributeDefinition, op: PatchOperationName, value: unknown, where: string): void {
  const stays = def.required || def.name === 'active';
  if (!stays) return;
  if (op !== 'remove' && normalizeSingle(def, unwrapSingle(value), `${where}.value`) !== undefined) return;
  throw badRequest(
    'mutability',
    def.name === 'active'
      ? `${where}: active cannot be removed or set to null: a Voximplant admin is always active or inactive; replace it with false to deactivate`
      : `${where}: ${def.name} is required and cannot be removed or set to null; replace it with a new value`,
  );
}

/** Some clients wrap a simple value in a one-element list; it means the value. */
function unwrapSingle(value: unknown): unknown {
  return Array.isArray(value) && value.length === 1 ? value[0] : value;
}

function holderFor(attributes: UserAttributes, path: AttributePath, create: boolean) {
  if (path.schema === undefined) return attributes;
  const key = keyOf(attributes, path.schema) ?? path.schema;
  const existing = attributes[key];
  if (isPlainObject(existing)) return existing;
  if (!create) return undefined;
  const made: Record<string, unknown> = {};
  attributes[key] = made;
  return made;
}

function cleanExtension(attributes: UserAttributes, path: AttributePath): void {
  if (path.schema === undefined) return;
  const key = keyOf(attributes, path.schema);
  if (key !== undefined && isPlainObject(attributes[key]) && Object.keys(attributes[key]).length === 0) {
    delete attributes[key];
  }
}

function setOrDelete(holder: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) delete holder[key];
  else holder[key] = value;
}

function applyComplex(
  holder: Record<string, unknown>,
  key: string,
  def: AttributeDefinition,
  path: PatchPath,
  op: PatchOperationName,
  value: unknown,
  where: string,
): void {
  if (path.valueFilter !== undefined) throw badRequest('invalidPath', `${where}: ${def.name} is not multi-valued`);
  const current = isPlainObject(holder[key]) ? { ...(holder[key] as Record<string, unknown>) } : {};
  const sub = subAttributeOf(def, path, where);
  if (sub !== undefined) {
    setOrDelete(
      current,
      sub.name,
      op === 'remove' ? undefined : normalizeSingle(sub, unwrapSingle(value), `${where}.value`),
    );
  } else if (op === 'remove') {
    delete holder[key];
    return;
  } else {
    // RFC 7644 §3.5.2.1/3: add and replace of a complex attribute set the sub-attributes given, and keep the others.
    const given = normalizeAttributeValue(def, value, `${where}.value`);
    if (given === undefined) {
      delete holder[key];
      return;
    }
    Object.assign(current, given);
    // Sub-attributes sent as null are cleared.
    if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        const sub = findByName(def.subAttributes, k);
        if (sub !== undefined && (v === null || v === '')) delete current[sub.name];
      }
    }
  }
  setOrDelete(holder, key, Object.keys(current).length > 0 ? current : undefined);
}

function applyMultiValued(
  holder: Record<string, unknown>,
  key: string,
  def: AttributeDefinition,
  path: PatchPath,
  op: PatchOperationName,
  value: unknown,
  where: string,
): void {
  const items: unknown[] = Array.isArray(holder[key]) ? [...(holder[key] as unknown[])] : [];
  const sub = subAttributeOf(def, path, where);
  const filter = path.valueFilter;
  const selected = (item: unknown) => filter === undefined || (isPlainObject(item) && matchesFilter(filter, item));

  if (op === 'remove') {
    const kept =
      sub === undefined
        ? items.filter((item) => !selected(item))
        : items.map((item) => (selected(item) && isPlainObject(item) ? without(item, sub.name) : item));
    setOrDelete(holder, key, compact(kept));
    return;
  }

  if (sub !== undefined) {
    const subValue = normalizeSingle(sub, unwrapSingle(value), `${where}.value`);
    let hit = false;
    const next = items.map((item) => {
      if (!selected(item) || !isPlainObject(item)) return item;
      hit = true;
      return subValue === undefined ? without(item, sub.name) : { ...item, [sub.name]: subValue };
    });
    if (!hit && subValue !== undefined) next.push({ ...seedFromFilter(filter, def, where), [sub.name]: subValue });
    setOrDelete(holder, key, compact(next));
    return;
  }

  const given = normalizeAttributeValue(def, value, `${where}.value`) as unknown[] | undefined;
  if (filter !== undefined) {
    // Replace the matching values with the one given (merged over each, so unmentioned sub-attributes stay).
    const replacement = given?.[0];
    let hit = false;
    const next = items.flatMap((item) => {
      if (!selected(item)) return [item];
      hit = true;
      if (replacement === undefined) return [];
      return [isPlainObject(item) && isPlainObject(replacement) ? { ...item, ...replacement } : replacement];
    });
    if (!hit && replacement !== undefined) {
      next.push(isPlainObject(replacement) ? { ...seedFromFilter(filter, def, where), ...replacement } : replacement);
    }
    setOrDelete(holder, key, compact(next));
    return;
  }
  if (op === 'replace') {
    setOrDelete(holder, key, given);
    return;
  }
  // add: new values are appended; a value already present is not added twice (one pass, however many values).
  const next = [...items];
  const present = new Set(items.map((item) => JSON.stringify(item)));
  for (const item of given ?? []) {
    const text = JSON.stringify(item);
    if (present.has(text)) continue;
    present.add(text);
    next.push(item);
  }
  setOrDelete(holder, key, compact(next));
}

/** The definition of the path's sub-attribute; undefined without one, 400 invalidPath when the attribute has none so named. */
function subAttributeOf(def: AttributeDefinition, path: PatchPath, where: string): AttributeDefinition | undefined {
  if (path.sub === undefined) return undefined;
  const sub = findByName(def.subAttributes, path.sub);
  if (sub === undefined) throw badRequest('invalidPath', `${where}: ${def.name} has no sub-attribute ${path.sub}`);
  return sub;
}

function without(item: Record<string, unknown>, name: string): Record<string, unknown> {
  const { [name]: _dropped, ...rest } = item;
  return rest;
}

function compact(items: unknown[]): unknown[] | undefined {
  const kept = items.filter((item) => item !== undefined && !(isPlainObject(item) && Object.keys(item).length === 0));
  return kept.length > 0 ? kept : undefined;
}

/**
 * The sub-attributes a value filter of `eq` comparisons pins down (`type eq "work"` → `{type: "work"}`): the seed
 * of a value added where none matched. Any other filter cannot say what to add: RFC 7644's noTarget.
 */
function seedFromFilter(filter: Filter | undefined, def: AttributeDefinition, where: string): Record<string, unknown> {
  const seed = filter === undefined ? {} : eqFields(filter, def);
  if (seed === undefined) throw badRequest('noTarget', `${where}: no value of ${def.name} matches the path's filter`);
  return seed;
}

function eqFields(filter: Filter, def: AttributeDefinition): Record<string, unknown> | undefined {
  if (filter.op === 'and') {
    const left = eqFields(filter.left, def);
    const right = eqFields(filter.right, def);
    return left === undefined || right === undefined ? undefined : { ...left, ...right };
  }
  if (filter.op !== 'eq' || filter.path.sub !== undefined || filter.path.valueFilter !== undefined) return undefined;
  const sub = findByName(def.subAttributes, filter.path.attr);
  if (sub === undefined || filter.value === null) return undefined;
  const value = sub.type === 'boolean' ? toBoolean(filter.value) : filter.value;
  return value === undefined ? undefined : { [sub.name]: value };
}
