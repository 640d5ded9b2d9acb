import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { fromApiGatewayV2, toApiGatewayV2 } from '../http/api-gateway-v2';
import { errorSummary } from '../http/lambda-http-handler';
import type { Logger } from '../observability/logger';
import { type Deadline, deadlineFrom, deadlineIn } from '../runtime/deadline';
import type { ScimDeps } from './scim-deps';
import { ScimError } from './scim-error';
import { handleScimRequest } from './scim-request';
import { scimErrorResponse } from './scim-response';

/**
 * API Gateway ends an integration after 30 s whatever the Lambda timeout (research serverless-anchors); a change
 * still retrying then would be answered with API Gateway's bare 503 while it may yet apply. 25 s leaves time to
 * record the outcome and answer.
 */
export const SCIM_BUDGET_MS = 25_000;
/** Kept back from the Lambda's own remaining time, for the same reason. */
const SAFETY_MARGIN_MS = 2_000;

export interface ScimLambdaOptions {
  logger: Logger;
  /** Builds the collaborators once per container; a failure is not cached, so the next request tries again. */
  init: () => ScimDeps | Promise<ScimDeps>;
  after?: () => void;
}

/** The deadline of one request: 25 s, or the Lambda's remaining time less a margin when that is shorter. */
export function scimDeadline(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined): Deadline {
  const budget = deadlineIn(SCIM_BUDGET_MS);
  if (context === undefined) return budget;
  const lambda = deadlineFrom(() => context.getRemainingTimeInMillis(), SAFETY_MARGIN_MS);
  return { remainingMs: () => Math.min(budget.remainingMs(), lambda.remainingMs()) };
}

/**
 * Query parameters decoded from the raw query string as a form would be (`+` is a space, `%2B` a plus): the
 * Microsoft suite sends `filter=DisplayName+eq+%22BobIsAmazing%22`, and API Gateway's `queryStringParameters`
 * decode %-escapes but keep `+`. A repeated parameter keeps its first value.
 */
export function queryFromRaw(event: Pick<APIGatewayProxyEventV2, 'rawQueryString' | 'queryStringParameters'>) {
  if (event.rawQueryString === undefined || event.rawQueryString === '') return event.queryStringParameters;
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(event.rawQueryString)) {
    if (!(key in query)) query[key] = value;
  }
  return query;
}

/** Like lambdaHttpHandler (src/http), but every failure is a SCIM Error body, and each request gets its deadline. */
export function scimLambdaHandler(options: ScimLambdaOptions) {
  let deps: Promise<ScimDeps> | undefined;
  const ready = (): Promise<ScimDeps> => {
    deps ??= Promise.resolve()
      .then(options.init)
      .catch((error: unknown) => {
        deps = undefined;
        throw error;
      });
    return deps;
  };
  return async (event: APIGatewayProxyEventV2, context?: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const { logger } = options;
    const receivedAt = Date.now();
    if (context !== undefined) logger.addContext(context);
    try {
      logger.appendKeys({ request_id: event.requestContext?.requestId });
      const request = fromApiGatewayV2({ ...event, queryStringParameters: queryFromRaw(event) });
      let collaborators: ScimDeps;
      try {
        collaborators = await ready();
      } catch (error) {
        logger.error('function initialisation failed', errorSummary(error));
        return toApiGatewayV2(
          scimErrorResponse(new ScimError(500, 'the function is not configured correctly; see its logs')),
        );
      }
      return toApiGatewayV2(
        await handleScimRequest(request, collaborators, { deadline: scimDeadline(context), receivedAt }),
      );
    } catch (error) {
      logger.error('unexpected error', errorSummary(error));
      return toApiGatewayV2(scimErrorResponse(new ScimError(500, 'an unexpected error occurred; see the logs')));
    } finally {
      logger.resetKeys();
      try {
        options.after?.();
      } catch (error) {
        logger.warn('after-invocation hook failed', errorSummary(error));
      }
    }
  };
}
