import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, required } from '../../../src/config';

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      VOXIMPLANT_API_URL: 'https://api.voximplant.com/platform_api',
      PROTECTED_ADMIN_USERS: [],
      DRY_RUN: false,
      WEBHOOK_TOLERANCE_SECONDS: 300,
      WORKER_CONCURRENCY: 4,
      OKTA_NAME_FROM: 'local-part',
      LOG_LEVEL: 'info',
    });
  });

  it('parses lists, booleans and numbers', () => {
    const config = loadConfig({ PROTECTED_ADMIN_USERS: ' owner, 12 ,,', DRY_RUN: 'true', WORKER_CONCURRENCY: '8' });
    expect(config.PROTECTED_ADMIN_USERS).toEqual(['owner', '12']);
    expect(config.DRY_RUN).toBe(true);
    expect(config.WORKER_CONCURRENCY).toBe(8);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ WORKER_CONCURRENCY: 'many' })).toThrow(/WORKER_CONCURRENCY/);
    expect(() => loadConfig({ DRY_RUN: 'yes' })).toThrow(ConfigError);
  });

  it('refuses WEBHOOK_TOLERANCE_SECONDS above its limit, naming the limit, and accepts the limit itself', () => {
    expect(() => loadConfig({ WEBHOOK_TOLERANCE_SECONDS: '86401' })).toThrow(
      'invalid configuration: WEBHOOK_TOLERANCE_SECONDS: must be at most 86400 seconds (24 hours)',
    );
    expect(() => loadConfig({ WEBHOOK_TOLERANCE_SECONDS: '0' })).toThrow(/at least 1 second/);
    expect(loadConfig({ WEBHOOK_TOLERANCE_SECONDS: '86400' }).WEBHOOK_TOLERANCE_SECONDS).toBe(86_400);
  });

  it('required() names a missing variable', () => {
    expect(() => required(loadConfig({}), 'STATE_TABLE')).toThrow(
      'STATE_TABLE is required by this function but not set',
    );
    expect(required(loadConfig({ STATE_TABLE: 't1' }), 'STATE_TABLE')).toBe('t1');
  });
});
