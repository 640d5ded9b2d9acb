import { Logger } from '@aws-lambda-powertools/logger';
import { redactReplacer } from './redact';

export type { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs (Powertools Logger), one per function. Level from LOG_LEVEL; `silent` for tests that
 * only want the outcome. Every record passes through the redacting replacer.
 */
export function createLogger(serviceName: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const logLevel = level.toUpperCase() as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  return new Logger({ serviceName, logLevel, jsonReplacerFn: redactReplacer });
}
