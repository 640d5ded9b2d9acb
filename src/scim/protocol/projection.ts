import { type AttributePath, getField, isPlainObject, keyOf, parseAttributePath } from './attribute-path';

/**
 * `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9). `id` and `schemas` are always returned.
 * A value filter in an attribute name (`emails[type eq "work"]`, which the Microsoft suite sends though the grammar
 * has none there) selects the whole attribute.
 */
export function parseAttributeList(value: string | undefined): AttributePath[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const paths: AttributePath[] = [];
  for (const raw of value.split(',')) {
    const name = raw.replace(/\[.*$/s, '').trim();
    const path = parseAttributePath(name);
    if (path !== undefined) paths.push(path);
  }
  return paths;
}

export function projectResource(
  resource: Record<string, unknown>,
  include: AttributePath[] | undefined,
  exclude: AttributePath[] | undefined,
): Record<string, unknown> {
  if (include !== undefined && include.length > 0) {
    const out: Record<string, unknown> = { schemas: resource.schemas, id: resource.id };
    for (const path of include) copyPath(resource, out, path);
    return out;
  }
  if (exclude !== undefined && exclude.length > 0) {
    const out = structuredClone(resource);
    for (const path of exclude) removePath(out, path);
    return out;
  }
  return resource;
}

function copyPath(from: Record<string, unknown>, to: Record<string, unknown>, path: AttributePath): void {
  const schemaKey = path.schema;
  const source = schemaKey === undefined ? from : getField(from, schemaKey);
  if (!isPlainObject(source)) return;
  let target = to;
  if (schemaKey !== undefined) {
    const key = keyOf(from, schemaKey) ?? schemaKey;
    if (path.attr === '') {
      to[key] = source;
      return;
    }
    target = isPlainObject(to[key]) ? (to[key] as Record<string, unknown>) : {};
    to[key] = target;
  }
  const key = keyOf(source, path.attr);
  if (key === undefined) return;
  const value = source[key];
  if (path.sub === undefined) {
    target[key] = value;
    return;
  }
  const sub = path.sub;
  const pickSub = (item: unknown) => {
    const subKey = isPlainObject(item) ? keyOf(item, sub) : undefined;
    return subKey === undefined ? undefined : { [subKey]: (item as Record<string, unknown>)[subKey] };
  };
  if (Array.isArray(value)) {
    const previous = Array.isArray(target[key]) ? (target[key] as Record<string, unknown>[]) : [];
    target[key] = value.map((item, i) => ({ ...(previous[i] ?? {}), ...(pickSub(item) ?? {}) }));
  } else {
    const picked = pickSub(value);
    if (picked !== undefined) target[key] = { ...(isPlainObject(target[key]) ? target[key] : {}), ...picked };
  }
}

function removePath(resource: Record<string, unknown>, path: AttributePath): void {
  if (path.schema === undefined && (path.attr.toLowerCase() === 'id' || path.attr.toLowerCase() === 'schemas')) return;
  const holder = path.schema === undefined ? resource : getField(resource, path.schema);
  if (!isPlainObject(holder)) return;
  const key = keyOf(holder, path.attr);
  if (key === undefined) return;
  if (path.sub === undefined) {
    delete holder[key];
    return;
  }
  const sub = path.sub;
  const strip = (item: unknown) => {
    if (!isPlainObject(item)) return;
    const subKey = keyOf(item, sub);
    if (subKey !== undefined) delete item[subKey];
  };
  const value = holder[key];
  if (Array.isArray(value)) value.forEach(strip);
  else strip(value);
}
