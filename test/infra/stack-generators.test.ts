// The two package-time generators in infra/ (CommonJS, loaded by the framework with require()): the admin password
// secrets expanded from a stage parameter, and the queue visibility timeout derived from the worker's timeout.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

interface Fragment {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }>;
}
type Resolver = (variable: string) => Promise<unknown>;
const adminSecrets = require('../../infra/admin-password-secrets.cjs') as ((ctx: {
  resolveVariable: Resolver;
}) => Promise<Fragment>) & { parseNames(raw: unknown): string[] };
const visibility = require('../../infra/queue-visibility-timeout.cjs') as ((ctx: {
  resolveVariable: Resolver;
}) => Promise<number>) & { visibilityTimeoutSeconds(t: unknown): number; FACTOR: number };

function resolverFor(values: Record<string, unknown>): Resolver {
  return async (variable) => {
    if (!(variable in values)) throw new Error(`unexpected variable ${variable}`);
    return values[variable];
  };
}

const BASE = {
  'self:service': 'vox-admin-bridge',
  'sls:stage': 'test',
  'param:adminPasswordRotationSchedule': 'rate(30 days)',
  'param:adminPasswordRotationWindow': '4h',
  'param:dataDeletionPolicy': 'Delete',
};

describe('admin password secrets parameter', () => {
  it('reads a comma list, trimming blanks; empty, none and a YAML list work too', () => {
    expect(adminSecrets.parseNames(' ops-bot , backup.admin,')).toEqual(['ops-bot', 'backup.admin']);
    expect(adminSecrets.parseNames('')).toEqual([]);
    expect(adminSecrets.parseNames('none')).toEqual([]);
    expect(adminSecrets.parseNames(null)).toEqual([]);
    expect(adminSecrets.parseNames(['a1', 'b2'])).toEqual(['a1', 'b2']);
  });

  it('refuses names a secret name or Voximplant cannot hold, naming the entry', () => {
    expect(() => adminSecrets.parseNames('ops bot')).toThrow(/"ops bot"/);
    expect(() => adminSecrets.parseNames('x'.repeat(50))).toThrow(/1-49/);
    expect(() => adminSecrets.parseNames('ops/bot')).toThrow(/"ops\/bot"/);
  });

  it('refuses two names that would share a resource name', () => {
    expect(() => adminSecrets.parseNames('ops-bot,ops.bot')).toThrow(/same resource name OpsBot/);
    expect(() => adminSecrets.parseNames('ops-bot,ops-bot')).toThrow(/same resource name/);
  });

  it('generates nothing for an empty list: no permission, no GetRandomPassword', async () => {
    const fragment = await adminSecrets({
      resolveVariable: resolverFor({ ...BASE, 'param:adminPasswordSecrets': '' }),
    });
    expect(fragment).toEqual({ Resources: {} });
  });

  it('generates a secret and a schedule per name, one permission and one policy', async () => {
    const fragment = await adminSecrets({
      resolveVariable: resolverFor({ ...BASE, 'param:adminPasswordSecrets': 'ops-bot' }),
    });
    expect(Object.keys(fragment.Resources).sort()).toEqual([
      'AdminPasswordOpsBotRotationSchedule',
      'AdminPasswordOpsBotSecret',
      'RotateAdminPasswordSecretsPolicy',
      'RotateInvokePermission',
    ]);
    expect(fragment.Resources.AdminPasswordOpsBotSecret?.Properties.Name).toBe(
      'vox-admin-bridge/test/admin-password/ops-bot',
    );
    expect(fragment.Resources.AdminPasswordOpsBotRotationSchedule?.Properties.RotationRules).toEqual({
      ScheduleExpression: 'rate(30 days)',
      Duration: '4h',
    });
  });
});

describe('queue visibility timeout', () => {
  it('is six times the worker timeout', async () => {
    expect(visibility.FACTOR).toBe(6);
    expect(await visibility({ resolveVariable: resolverFor({ 'param:workerTimeoutSeconds': 60 }) })).toBe(360);
    expect(visibility.visibilityTimeoutSeconds('29')).toBe(174);
  });

  it('accepts every Lambda timeout (1 to 900 s) and rejects anything else', () => {
    expect(visibility.visibilityTimeoutSeconds(900)).toBe(5400);
    expect(() => visibility.visibilityTimeoutSeconds(0)).toThrow(/1 to 900/);
    expect(() => visibility.visibilityTimeoutSeconds(901)).toThrow(/1 to 900/);
    expect(() => visibility.visibilityTimeoutSeconds('soon')).toThrow(/"soon"/);
  });
});
