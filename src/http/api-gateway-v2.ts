import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type HttpRequest, type HttpResponse, lowerCaseHeaders } from './http-message';

/**
 * API Gateway HTTP API, payload format 2.0. Header names arrive lower-cased and repeated headers comma-joined;
 * the body is base64 when `isBase64Encoded` (binary or unknown content types), and signatures must be checked
 * over the decoded bytes, so the body is kept as bytes here.
 */
export function fromApiGatewayV2(event: APIGatewayProxyEventV2): HttpRequest {
  const body = event.body ?? '';
  const headers = lowerCaseHeaders(event.headers);
  // Payload v2 moves Cookie headers into `cookies`; put them back so the neutral request loses nothing.
  if (event.cookies !== undefined && event.cookies.length > 0 && headers.cookie === undefined) {
    headers.cookie = event.cookies.join('; ');
  }
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    headers,
    rawBody: event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'),
    query: queryOf(event),
  };
}

/**
 * Query parameters decoded from the raw query string as a form would be (`+` is a space, `%2B` a plus): SCIM clients
 * send `filter=DisplayName+eq+%22BobIsAmazing%22`, and API Gateway's `queryStringParameters` decode %-escapes but keep
 * `+`. A repeated parameter keeps its first value.
 */
export function queryOf(event: Pick<APIGatewayProxyEventV2, 'rawQueryString' | 'queryStringParameters'>) {
  const query: Record<string, string> = {};
  if (event.rawQueryString !== undefined && event.rawQueryString !== '') {
    for (const [key, value] of new URLSearchParams(event.rawQueryString)) {
      if (!(key in query)) query[key] = value;
    }
    return query;
  }
  for (const [key, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) query[key] = value;
  }
  return query;
}

export function toApiGatewayV2(response: HttpResponse): APIGatewayProxyStructuredResultV2 {
  return { statusCode: response.statusCode, headers: response.headers, body: response.body, isBase64Encoded: false };
}
