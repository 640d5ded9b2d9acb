import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config';
import { reconcileMode } from '../../../src/reconcile/create-reconcile-deps';

describe('RECONCILE_MODE and AUDIT_RETENTION_DAYS', () => {
  it('default to repair and 400 days, also when blank', () => {
    expect(loadConfig({})).toMatchObject({ RECONCILE_MODE: 'repair', AUDIT_RETENTION_DAYS: 400 });
    expect(loadConfig({ RECONCILE_MODE: ' ', AUDIT_RETENTION_DAYS: '' })).toMatchObject({
      RECONCILE_MODE: 'repair',
      AUDIT_RETENTION_DAYS: 400,
    });
  });

  it('refuse anything else, naming the variable', () => {
    expect(() => loadConfig({ RECONCILE_MODE: 'fix' })).toThrow('RECONCILE_MODE');
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: '0' })).toThrow('AUDIT_RETENTION_DAYS: must be at least 1 day');
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: '1.5' })).toThrow('whole number');
  });

  it('report only under DRY_RUN or --dry-run, whatever RECONCILE_MODE says', () => {
    expect(reconcileMode(loadConfig({}))).toBe('repair');
    expect(reconcileMode(loadConfig({ RECONCILE_MODE: 'report' }))).toBe('report');
    expect(reconcileMode(loadConfig({ DRY_RUN: 'true' }))).toBe('report');
    expect(reconcileMode(loadConfig({}), true)).toBe('report');
  });
});
