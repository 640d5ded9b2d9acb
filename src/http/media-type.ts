import { type HttpRequest, headerValue } from './http-message';

export interface MediaType {
  /** Lower-case `type/subtype`, without parameters. */
  essence: string;
  /** Lower-case parameter names and unquoted values. */
  parameters: Record<string, string>;
}

/** Parses a Content-Type value (RFC 9110 §8.3.1); `undefined` when absent or not `type/subtype`. */
export function parseMediaType(value: string | undefined): MediaType | undefined {
  if (value === undefined) return undefined;
  const [head = '', ...params] = value.split(';');
  const essence = head.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(essence)) return undefined;
  const parameters: Record<string, string> = {};
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq <= 0) continue;
    const name = param.slice(0, eq).trim().toLowerCase();
    let v = param.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    parameters[name] = v;
  }
  return { essence, parameters };
}

export function requestMediaType(request: Pick<HttpRequest, 'headers'>): MediaType | undefined {
  return parseMediaType(headerValue(request, 'content-type'));
}

/** JSON is UTF-8 (RFC 8259 §8.1); a declared charset other than UTF-8 is a body we would misread. */
export function isUtf8(mediaType: MediaType): boolean {
  const charset = mediaType.parameters.charset;
  return charset === undefined || charset.toLowerCase() === 'utf-8' || charset.toLowerCase() === 'utf8';
}

/** `application/json` or any `+json` structured-syntax suffix (RFC 6839). */
export function isJsonMediaType(mediaType: MediaType): boolean {
  return mediaType.essence === 'application/json' || mediaType.essence.endsWith('+json');
}
