import { Logger } from '@aws-lambda-powertools/logger';
import { logLevelSchema } from '../config';
import { redactReplacer } from './redact';

type LogLevel = ReturnType<typeof logLevelSchema.parse>;

export type { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs (Powertools Logger), one per function. Level from LOG_LEVEL; `silent` for tests that
 * only want the outcome. Every record passes through the redacting replacer.
 */
export function createLogger(serviceName: string, level = process.env.LOG_LEVEL): Logger {
  // The same parsing as the configuration's LOG_LEVEL; a bad value is reported by loadConfig, logs stay at info.
  const logLevel = logLevelSchema.catch('info').parse(level).toUpperCase() as Uppercase<LogLevel>;
  return new Logger({ serviceName, logLevel, jsonReplacerFn: redactReplacer });
}
