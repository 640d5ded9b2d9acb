import { randomUUID } from 'node:crypto';
import { type HttpRequest, type HttpResponse, headerValue } from '../http/http-message';
import { errorSummary } from '../http/lambda-http-handler';
import { METRIC } from '../observability/metric-names';
import type { Deadline } from '../runtime/deadline';
import { createUser } from './create-user';
import { deleteUser } from './delete-user';
import { scimErrorFrom } from './failure';
import { listResponse, schemaDocuments, serviceProviderConfig, userResourceType } from './protocol/discovery';
import { readListQuery } from './protocol/list-query';
import { readScimBody } from './protocol/read-scim-body';
import { notFound, ScimError } from './protocol/scim-error';
import { scimErrorResponse, scimJson } from './protocol/scim-response';
import { getUser, listUsers } from './read-users';
import type { ScimContext, ScimDeps } from './scim-deps';
import { hasValidBearerToken } from './token-secret';
import { patchUser, replaceUser } from './update-user';

export interface ScimRequestOptions {
  deadline: Deadline;
  /** Epoch ms when the request arrived; default now. */
  receivedAt?: number;
}

/**
 * Where the service provider is mounted (`ANY /scim/v2/{proxy+}`, docs/CONTRACT.md#functions); a stage prefix may come
 * before it.
 */
const MOUNT = /^(.*?\/scim\/v2)(?=\/|$)(.*)$/i;

interface Route {
  resource: string;
  id?: string;
  extra: boolean;
  /** The base URL of the service provider, for `meta.location`. */
  baseUrl: string;
}

/**
 * One SCIM request (RFC 7644), transport-neutral: the Lambda handler and the tests call it. Authentication comes
 * first, for every endpoint; then the route. Path segments match case-insensitively (the Microsoft suite sends
 * `/users`) and a trailing slash is ignored. Every failure becomes a SCIM Error body (RFC 7644 §3.12).
 */
export async function handleScimRequest(
  request: HttpRequest,
  deps: ScimDeps,
  opts: ScimRequestOptions,
): Promise<HttpResponse> {
  const logger = deps.apply.logger;
  const started = Date.now();
  const route = routeOf(request);
  const method = request.method.toUpperCase();
  let response: HttpResponse;
  try {
    const tokens = await deps.tokens.get();
    if (!hasValidBearerToken(request, tokens)) {
      throw new ScimError(401, 'a valid bearer token is required (Authorization: Bearer <token>)', {
        code: 'scim_unauthorized',
      });
    }
    const ctx: ScimContext = {
      deps,
      deadline: opts.deadline,
      receivedAt: opts.receivedAt ?? Date.now(),
      requestId: (deps.newRequestId ?? randomUUID)(),
      baseUrl: route.baseUrl,
    };
    response = await dispatch(ctx, request, method, route);
  } catch (error) {
    const scimError = scimErrorFrom(error);
    if (scimError.status >= 500) {
      logger.error('scim request failed', { code: scimError.code, ...errorSummary(scimError.cause ?? error) });
    }
    response = scimErrorResponse(scimError, methodNotAllowedHeaders(scimError));
  }
  countResponse(deps, response.statusCode);
  logger.info('scim request', {
    method,
    resource: route.resource || '(none)',
    with_id: route.id !== undefined,
    status: response.statusCode,
    duration_ms: Date.now() - started,
  });
  return response;
}

/** Requests, and the answers an operator wants an alarm on: refused tokens, throttling, server errors. */
function countResponse(deps: ScimDeps, status: number): void {
  deps.count?.(METRIC.ScimRequests);
  if (status === 401) deps.count?.(METRIC.ScimUnauthorized);
  else if (status === 429) deps.count?.(METRIC.ScimThrottled);
  else if (status >= 500) deps.count?.(METRIC.ScimServerErrors);
}

function routeOf(request: HttpRequest): Route {
  const match = MOUNT.exec(request.path);
  const prefix = match?.[1] ?? '';
  const rest = match === null ? request.path : (match[2] ?? '');
  const segments = rest.split('/').filter((s) => s !== '');
  // Host as API Gateway received it (the custom domain when there is one); X-Forwarded-Host is client-controlled.
  const host = headerValue(request, 'host');
  const forwardedProto = headerValue(request, 'x-forwarded-proto')?.split(',')[0]?.trim();
  const proto =
    forwardedProto ?? (host !== undefined && /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host) ? 'http' : 'https');
  const baseUrl = host === undefined ? prefix : `${proto}://${host}${prefix}`;
  const [resource = '', id, ...more] = segments;
  return {
    resource: resource.toLowerCase(),
    ...(id !== undefined && { id: decodeSegment(id) }),
    extra: more.length > 0,
    baseUrl,
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

class MethodNotAllowed extends ScimError {
  constructor(
    method: string,
    readonly allowed: readonly string[],
  ) {
    super(405, `${method} is not supported here; use ${allowed.join(' or ')}`, { code: 'scim_method_not_allowed' });
  }
}

function methodNotAllowedHeaders(error: ScimError): Record<string, string> {
  return error instanceof MethodNotAllowed ? { allow: error.allowed.join(', ') } : {};
}

function only(method: string, allowed: readonly string[]): void {
  if (!allowed.includes(method)) throw new MethodNotAllowed(method, allowed);
}

async function dispatch(ctx: ScimContext, request: HttpRequest, method: string, route: Route): Promise<HttpResponse> {
  if (route.extra) throw notFound('no such endpoint');
  const { id } = route;
  switch (route.resource) {
    case 'serviceproviderconfig':
    case 'serviceconfiguration': // the Microsoft suite's name for it
      if (id !== undefined) throw notFound('no such endpoint');
      only(method, ['GET']);
      return scimJson(200, serviceProviderConfig(ctx.baseUrl));
    case 'resourcetypes': {
      only(method, ['GET']);
      const userType = userResourceType(ctx.baseUrl);
      if (id === undefined) return scimJson(200, listResponse([userType], 1, 1));
      if (id.toLowerCase() === 'user') return scimJson(200, userType);
      throw notFound(`no resource type "${id}"; this service provider serves User only`);
    }
    case 'schemas': {
      only(method, ['GET']);
      const documents = schemaDocuments(ctx.baseUrl);
      if (id === undefined) return scimJson(200, listResponse(documents, documents.length, 1));
      const document = documents.find((d) => String(d.id).toLowerCase() === id.toLowerCase());
      if (document === undefined) throw notFound(`no schema "${id}"`);
      return scimJson(200, document);
    }
    case 'users':
      return users(ctx, request, method, id);
    case 'groups':
      // A Users-only provider; IdPs and the Microsoft suite still read /Groups and must get 200 with an empty list.
      if (id === undefined && method === 'GET') return scimJson(200, listResponse([], 0, 1));
      if (id !== undefined && method === 'GET') throw notFound(`no group has the id "${id.slice(0, 40)}"`);
      throw new ScimError(501, 'this service provider manages users only; turn group provisioning off in the IdP');
    case 'bulk':
    case 'me':
      throw new ScimError(501, `/${route.resource === 'me' ? 'Me' : 'Bulk'} is not supported`);
    default:
      throw notFound('no such endpoint');
  }
}

async function users(ctx: ScimContext, request: HttpRequest, method: string, id: string | undefined) {
  if (id === undefined) {
    only(method, ['GET', 'POST']);
    if (method === 'GET') return listUsers(ctx, readListQuery(request.query));
    return createUser(ctx, readScimBody(request));
  }
  if (id === '.search') {
    only(method, ['POST']);
    return listUsers(ctx, readListQuery(readScimBody(request)));
  }
  only(method, ['GET', 'PUT', 'PATCH', 'DELETE']);
  switch (method) {
    case 'GET':
      return getUser(ctx, id, readListQuery(request.query));
    case 'PUT':
      return replaceUser(ctx, id, readScimBody(request));
    case 'PATCH':
      return patchUser(ctx, id, readScimBody(request));
    default:
      return deleteUser(ctx, id);
  }
}
