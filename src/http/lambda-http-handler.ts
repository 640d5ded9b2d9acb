import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Logger } from '../observability/logger';
import { fromApiGatewayV2, toApiGatewayV2 } from './api-gateway-v2';
import type { HttpRequest, HttpResponse } from './http-message';
import { problemResponse } from './problem';

export type ApiGatewayV2Handler = (
  event: APIGatewayProxyEventV2,
  context?: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface LambdaHttpHandlerOptions<D> {
  logger: Logger;
  /** Builds the collaborators once per container (config, clients, secret caches). A failure is not cached. */
  init: () => D | Promise<D>;
  handle: (request: HttpRequest, deps: D, invocation: Invocation) => Promise<HttpResponse>;
  /** Runs after every invocation, e.g. to flush EMF metrics; its own failure is logged and ignored. */
  after?: () => void;
  /** The 500 answer in this API's own error format; problem+json by default (SCIM answers its own Error body). */
  failure?: (detail: string) => HttpResponse;
}

/** What a request handler may want of the invocation: the Lambda context (remaining time) and when it arrived. */
export interface Invocation {
  context: Context | undefined;
  receivedAt: number;
}

const problemFailure = (detail: string) => problemResponse('internal-error', { detail });

/**
 * The thin part every HTTP Lambda shares: adapt the event, build collaborators once, run the request logic, and
 * never throw. A thrown error would reach API Gateway as a bare 500 `{"message":"Internal Server Error"}` and the
 * sender would see neither problem+json nor a reason; here it becomes a 500 problem without a stack, and the
 * error (not the request body) is logged.
 */
export function lambdaHttpHandler<D>(options: LambdaHttpHandlerOptions<D>): ApiGatewayV2Handler {
  let deps: Promise<D> | undefined;
  const ready = (): Promise<D> => {
    deps ??= Promise.resolve()
      .then(options.init)
      .catch((error: unknown) => {
        deps = undefined; // a misconfigured or briefly failing init is retried on the next request
        throw error;
      });
    return deps;
  };

  const failure = options.failure ?? problemFailure;
  return async (event, context) => {
    const { logger } = options;
    const receivedAt = Date.now();
    if (context !== undefined) logger.addContext(context);
    try {
      const request = fromApiGatewayV2(event);
      logger.appendKeys({ request_id: event.requestContext?.requestId });
      let collaborators: D;
      try {
        collaborators = await ready();
      } catch (error) {
        logger.error('function initialisation failed', errorSummary(error));
        return toApiGatewayV2(failure('the function is not configured correctly; see its logs'));
      }
      return toApiGatewayV2(await options.handle(request, collaborators, { context, receivedAt }));
    } catch (error) {
      logger.error('unexpected error', errorSummary(error));
      return toApiGatewayV2(failure('an unexpected error occurred; see the logs'));
    } finally {
      // appendKeys are temporary keys: without a reset, one request's ids would label the next request's logs.
      logger.resetKeys();
      try {
        options.after?.();
      } catch (error) {
        logger.warn('after-invocation hook failed', errorSummary(error));
      }
    }
  };
}

/**
 * Name, code and message of an error (and of its cause, where wrapped SDK errors keep the useful part), for a log
 * line; the stack goes to the log too, never to the response.
 */
export function errorSummary(error: unknown): { error: ErrorSummary } {
  return { error: summarise(error, 2) };
}

interface ErrorSummary {
  name: string;
  message: string;
  code?: string;
  stack?: string;
  cause?: ErrorSummary;
}

function summarise(error: unknown, depth: number): ErrorSummary {
  if (!(error instanceof Error)) return { name: typeof error, message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' && { code }),
    ...(error.stack !== undefined && depth === 2 && { stack: error.stack }),
    ...(error.cause !== undefined && depth > 0 && { cause: summarise(error.cause, depth - 1) }),
  };
}
