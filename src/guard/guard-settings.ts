import type { Config } from '../config';

/** The blast-radius guard's thresholds, from the stage parameters (docs/OPERATIONS.md#blast-radius-guard). */
export interface GuardSettings {
  windowMs: number;
  /** Activations per account per window that apply; the next ones are held. */
  maxActivations: number;
  /** false: deactivations are never held (a planned layoff). */
  holdDeactivations: boolean;
  /** Deactivations per account per window that apply, as a percentage of the account's admins... */
  maxDeactivationPercent: number;
  /** ...and never fewer than this many. */
  minDeactivations: number;
}

export function guardSettings(config: Config): GuardSettings | undefined {
  if (!config.GUARD_ENABLED) return undefined;
  return {
    windowMs: config.GUARD_WINDOW_SECONDS * 1000,
    maxActivations: config.GUARD_MAX_ACTIVATIONS,
    holdDeactivations: config.GUARD_HOLD_DEACTIVATIONS,
    maxDeactivationPercent: config.GUARD_MAX_DEACTIVATION_PERCENT,
    minDeactivations: config.GUARD_MIN_DEACTIVATIONS,
  };
}
