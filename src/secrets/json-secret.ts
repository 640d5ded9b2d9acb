import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type * as z from 'zod';
import { BridgeError } from '../errors/bridge-error';

/**
 * A JSON secret from Secrets Manager, validated with zod, cached per container for `ttlMs`, fetched once for
 * any number of concurrent callers, and refreshed on demand (after an auth error). Errors name the secret and
 * what is wrong with its shape, never its value.
 */
export interface JsonSecret<T> {
  get(): Promise<T>;
  /** Drops the cache and fetches again; concurrent refreshes share one fetch. */
  refresh(): Promise<T>;
}

/**
 * `secret_unavailable`: Secrets Manager (or the file) could not be read, which may pass; `secret_malformed`: the
 * value has the wrong shape, and stays wrong until an operator fixes it.
 */
export class SecretError extends BridgeError {
  declare readonly code: 'secret_unavailable' | 'secret_malformed';
  constructor(code: 'secret_unavailable' | 'secret_malformed', message: string, options?: { cause?: unknown }) {
    super(code, message, { retry: code === 'secret_malformed' ? 'permanent' : 'transient', ...options });
    this.name = 'SecretError';
  }
}

/** Describes zod issues by path only: the message zod writes may quote the value, which is secret. */
export function describeShapeProblems(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
      const what = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.code.replaceAll('_', ' ');
      return `${where}: ${what}`;
    })
    .join('; ');
}

export function parseSecretText<S extends z.ZodType>(label: string, text: string, schema: S): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SecretError('secret_malformed', `${label} is not valid JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new SecretError('secret_malformed', `${label} has the wrong shape: ${describeShapeProblems(parsed.error)}`);
  }
  return parsed.data;
}

export interface CachedValueOptions {
  ttlMs: number;
  now?: () => number;
}

/** The cache-and-single-flight part, shared by the Secrets Manager and file sources. */
export function cachedValue<T>(load: () => Promise<T>, { ttlMs, now = Date.now }: CachedValueOptions): JsonSecret<T> {
  let value: { v: T; at: number } | undefined;
  let inFlight: Promise<T> | undefined;
  const fetchOnce = (): Promise<T> => {
    inFlight ??= load()
      .then((v) => {
        value = { v, at: now() };
        return v;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  return {
    get: () => (value !== undefined && now() - value.at < ttlMs ? Promise.resolve(value.v) : fetchOnce()),
    refresh: () => {
      value = undefined;
      return fetchOnce();
    },
  };
}

export interface SecretsManagerJsonOptions<S extends z.ZodType> extends CachedValueOptions {
  client: SecretsManagerClient;
  secretId: string;
  schema: S;
  /** What the secret is, for error messages: "the Voximplant credentials secret". */
  label: string;
}

export function secretsManagerJson<S extends z.ZodType>(opts: SecretsManagerJsonOptions<S>): JsonSecret<z.infer<S>> {
  const label = `${opts.label} (${opts.secretId})`;
  return cachedValue(async () => {
    let text: string | undefined;
    try {
      const out = await opts.client.send(new GetSecretValueCommand({ SecretId: opts.secretId }));
      text = out.SecretString;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      throw new SecretError('secret_unavailable', `could not read ${label}: ${name}`, { cause: error });
    }
    if (text === undefined) throw new SecretError('secret_malformed', `${label} has no SecretString`);
    return parseSecretText(label, text, opts.schema);
  }, opts);
}
