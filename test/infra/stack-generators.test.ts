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
}) => Promise<Fragment>) & { parseNames(raw: unknown): string[]; parseExternalArns(raw: unknown): string[] };
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
  'param:adminPasswordExternalSecretArns': '',
};
const EXTERNAL = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ops/by-hand-AbC123';

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

describe('admin password secrets made outside the stack', () => {
  it('reads a comma list of full secret ARNs; empty and none are none', () => {
    expect(adminSecrets.parseExternalArns(` ${EXTERNAL} ,`)).toEqual([EXTERNAL]);
    expect(adminSecrets.parseExternalArns('none')).toEqual([]);
    expect(adminSecrets.parseExternalArns('')).toEqual([]);
  });

  it('refuses anything but a full ARN (no wildcard, no missing random suffix), naming the entry', () => {
    for (const bad of [
      'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ops/by-hand',
      'arn:aws:secretsmanager:eu-central-1:123456789012:secret:*',
      'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ops/by-hand-??????',
      'ops/by-hand-AbC123',
    ]) {
      expect(() => adminSecrets.parseExternalArns(bad), bad).toThrow(/not a full Secrets Manager secret ARN/);
    }
  });

  it('with only external secrets: the invoke permission and the grants on exactly those ARNs, no secret', async () => {
    const fragment = await adminSecrets({
      resolveVariable: resolverFor({
        ...BASE,
        'param:adminPasswordSecrets': '',
        'param:adminPasswordExternalSecretArns': EXTERNAL,
      }),
    });
    expect(Object.keys(fragment.Resources).sort()).toEqual([
      'RotateAdminPasswordSecretsPolicy',
      'RotateInvokePermission',
    ]);
    const doc = fragment.Resources.RotateAdminPasswordSecretsPolicy?.Properties.PolicyDocument as {
      Statement: { Action: string[]; Resource: unknown }[];
    };
    expect(doc.Statement[0]?.Resource).toEqual([EXTERNAL]);
    expect(doc.Statement[0]?.Action).toHaveLength(4);
    expect(doc.Statement[1]).toEqual({
      Effect: 'Allow',
      Action: ['secretsmanager:GetRandomPassword'],
      Resource: '*',
    });
    expect(fragment.Resources.RotateInvokePermission?.Properties).toMatchObject({
      Principal: 'secretsmanager.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
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
