import type { Logger } from '../observability/logger';

/** Counts one named occurrence (an EMF metric in Lambda; nothing in tests). */
export type Count = (metric: string, value?: number) => void;

/** Any cached secret source: `JsonSecret` from src/secrets/json-secret.ts, or a constant in tests and local runs. */
export interface SecretSource<T> {
  get(): Promise<T>;
}

export interface IngressCommonDeps {
  /** Milliseconds since the epoch, read once per request. */
  now: number;
  logger: Logger;
  count?: Count;
}
