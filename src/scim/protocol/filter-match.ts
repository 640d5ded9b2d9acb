import { definitionOfAttr, getField, holderOf, isPlainObject } from './attribute-path';
import type { CompareOperator, Filter, FilterPath, FilterValue } from './filter';
import { type AttributeDefinition, findByName } from './schema';
import { toBoolean } from './scim-boolean';
import { badRequest } from './scim-error';

/**
 * Whether a resource matches a filter (RFC 7644 §3.4.2.2). A path can reach several values (a multi-valued
 * attribute, a value filter); a comparison is true when any of them matches. Strings compare case-insensitively
 * unless the attribute is `caseExact` (so `userName eq "JDOE"` finds `jdoe`: userName has caseExact=false, and the
 * Okta suite checks exactly this); dateTimes compare as instants.
 */
export function matchesFilter(filter: Filter, resource: Record<string, unknown>): boolean {
  return evaluate(filter, resource, undefined);
}

/** `scope` is the sub-attribute list when evaluating a value filter against one value of a multi-valued attribute. */
function evaluate(filter: Filter, subject: unknown, scope: readonly AttributeDefinition[] | undefined): boolean {
  switch (filter.op) {
    case 'and':
      return evaluate(filter.left, subject, scope) && evaluate(filter.right, subject, scope);
    case 'or':
      return evaluate(filter.left, subject, scope) || evaluate(filter.right, subject, scope);
    case 'not':
      return !evaluate(filter.filter, subject, scope);
    case 'pr':
      return valuesAt(filter.path, subject, scope).values.some(isPresent);
    case 'has':
      return valuesAt(filter.path, subject, scope).values.length > 0;
    default: {
      const { values, leaf } = valuesAt(filter.path, subject, scope);
      return compareAny(filter.op, values, filter.value, leaf);
    }
  }
}

interface Reached {
  values: unknown[];
  /** The leaf attribute's definition when known: its type and case-exactness decide how to compare. */
  leaf: AttributeDefinition | undefined;
}

function valuesAt(path: FilterPath, subject: unknown, scope: readonly AttributeDefinition[] | undefined): Reached {
  let def: AttributeDefinition | undefined;
  let top: unknown;
  if (scope !== undefined) {
    def = findByName(scope, path.attr);
    top = getField(subject, path.attr);
  } else {
    def = definitionOfAttr(path);
    const holder = isPlainObject(subject) ? holderOf(subject, path) : undefined;
    top = holder === undefined ? undefined : getField(holder, path.attr);
  }
  let items = flatten(top);
  if (path.valueFilter !== undefined) {
    const inner = path.valueFilter;
    items = items.filter((item) => evaluate(inner, item, def?.subAttributes ?? []));
  }
  if (path.sub !== undefined) {
    const sub = path.sub;
    return { values: items.flatMap((item) => flatten(getField(item, sub))), leaf: findByName(def?.subAttributes, sub) };
  }
  if (def?.type === 'complex' && def.multiValued && path.valueFilter === undefined) {
    // A multi-valued complex attribute compared as a whole means its `value` sub-attribute ("emails co x").
    return {
      values: items.flatMap((item) => flatten(getField(item, 'value'))),
      leaf: findByName(def.subAttributes, 'value'),
    };
  }
  return { values: items, leaf: def };
}

function flatten(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.filter((v) => v !== undefined && v !== null) : [value];
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

function compareAny(
  op: CompareOperator,
  values: unknown[],
  wanted: FilterValue,
  leaf: AttributeDefinition | undefined,
) {
  if (wanted === null) {
    // `eq null` asks for an unassigned attribute (RFC 7643 §2.5: null is the same as unassigned).
    if (op === 'eq') return !values.some(isPresent);
    if (op === 'ne') return values.some(isPresent);
    throw badRequest('invalidFilter', `the filter is invalid: "${op}" cannot compare with null`);
  }
  if (op === 'ne') return !values.some((v) => compareOne('eq', v, wanted, leaf));
  return values.some((v) => compareOne(op, v, wanted, leaf));
}

function compareOne(op: CompareOperator, actual: unknown, wanted: FilterValue, leaf: AttributeDefinition | undefined) {
  if (leaf?.type === 'boolean' || typeof actual === 'boolean') {
    if (op !== 'eq' && op !== 'ne') {
      throw badRequest('invalidFilter', `the filter is invalid: "${op}" cannot compare a boolean`);
    }
    return toBoolean(actual) !== undefined && toBoolean(actual) === toBoolean(wanted);
  }
  if (isPlainObject(actual) || Array.isArray(actual)) return false;
  if (leaf?.type === 'dateTime') {
    const a = instant(actual);
    const b = instant(wanted);
    if (a !== undefined && b !== undefined) return ordered(op, a, b);
  }
  if (typeof actual === 'number' && typeof wanted === 'number') return ordered(op, actual, wanted);
  const caseExact = leaf?.caseExact ?? false;
  const a = caseExact ? String(actual) : String(actual).toLowerCase();
  const b = caseExact ? String(wanted) : String(wanted).toLowerCase();
  switch (op) {
    case 'co':
      return a.includes(b);
    case 'sw':
      return a.startsWith(b);
    case 'ew':
      return a.endsWith(b);
    default:
      return ordered(op, a, b);
  }
}

function ordered<T extends number | string>(op: CompareOperator, a: T, b: T): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    default:
      return false;
  }
}

/** Epoch ms of an xsd:dateTime; more than millisecond precision (.NET's 7 digits) is cut, not refused. */
function instant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? undefined : ms;
}
