// The CloudFormation template that `npm run package` generates, checked item by item: resource types and properties,
// one least-privilege role per function, the credentials secret's resource policy, the deployment bucket, the
// rotation schedules and grants, references that resolve, and the bundle budget. cfn-lint.test.ts checks the same
// templates against CloudFormation's own schemas; these assertions pin what the bridge needs on top of validity.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_DAY_INDEX_DEFINITION } from '../../src/audit/audit-keys';
import { MAX_WEBHOOK_TOLERANCE_SECONDS } from '../../src/config';
import { METRICS_NAMESPACE } from '../../src/observability/metrics';
import {
  asArray,
  buildBundles,
  FUNCTION_NAMES,
  FUNCTIONS,
  type FunctionName,
  type Json,
  missingBundles,
  type PackagedStack,
  packageStack,
  props,
  refName,
  resource,
  resourcesOfType,
  root,
  type Template,
} from './packaged-stack';

const SERVICE = 'vox-admin-bridge';
const ALARM_TOPIC = 'arn:aws:sns:eu-central-1:123456789012:vox-ops';
const ADMIN_SECRETS = { OpsBot: 'ops-bot', BackupAdmin: 'backup.admin' };
const EXTERNAL_SECRET = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ops/made-by-hand-AbC123';
const READER_ROLE = 'arn:aws:iam::123456789012:role/vox-operator';

let dev: PackagedStack; // `npm run package` as on a clean clone: stage dev, default parameters
let prod: PackagedStack; // stage prod, two admin password secrets, an alarm topic
let t: Template;
let p: Template;

beforeAll(async () => {
  // `npm test` builds before vitest starts; rebuilding here would rewrite dist/ under the feet of test files that
  // run the bundles at the same time. Build only when run alone on a tree without bundles.
  if (missingBundles().length > 0) await buildBundles();
  const missing = missingBundles();
  if (missing.length > 0) {
    throw new Error(
      `cannot package: ${missing.join(', ')} missing. Each Lambda entry point functions/<name>.ts is bundled to ` +
        'dist/<name>/index.mjs by scripts/build.mjs; a missing bundle means the function file does not exist ' +
        'yet or its build failed.',
    );
  }
  // Each run packages a private copy of the project, so the two can run at once.
  const runs = await Promise.allSettled([
    packageStack([]),
    packageStack([
      '--stage',
      'prod',
      '--region',
      'eu-central-1',
      `--param=adminPasswordSecrets=${Object.values(ADMIN_SECRETS).join(',')}`,
      `--param=alarmTopicArn=${ALARM_TOPIC}`,
      `--param=adminPasswordExternalSecretArns=${EXTERNAL_SECRET}`,
      `--param=credentialsReaderRoleArn=${READER_ROLE}`,
    ]),
  ]);
  const failed = runs.find((r) => r.status === 'rejected');
  if (failed) {
    for (const r of runs) if (r.status === 'fulfilled') await r.value.close();
    throw failed.reason;
  }
  [dev, prod] = runs.map((r) => (r as PromiseFulfilledResult<PackagedStack>).value) as [PackagedStack, PackagedStack];
  t = dev.template;
  p = prod.template;
}, 300_000);

afterAll(async () => {
  await dev?.close();
  await prod?.close();
});

function fn(template: Template, name: FunctionName) {
  return props(template, FUNCTIONS[name], 'AWS::Lambda::Function');
}

function env(template: Template, name: FunctionName): Record<string, string> {
  const vars = ((fn(template, name).Environment as { Variables?: Record<string, Json> })?.Variables ?? {}) as Record<
    string,
    Json
  >;
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, refName(v)]));
}

describe('functions', () => {
  it('has exactly the seven functions of docs/CONTRACT.md#functions, named <service>-<stage>-<name>', () => {
    const names = resourcesOfType(t, 'AWS::Lambda::Function').map(([, r]) => r.Properties?.FunctionName);
    expect(names.sort()).toEqual(FUNCTION_NAMES.map((n) => `${SERVICE}-dev-${n}`).sort());
    expect(props(p, 'WorkerLambdaFunction').FunctionName).toBe(`${SERVICE}-prod-worker`);
  });

  it.each(FUNCTION_NAMES)('%s runs the prebuilt ESM bundle on nodejs22.x or newer, arm64', (name) => {
    const f = fn(t, name);
    expect(f.Handler).toBe(`dist/${name}/index.handler`);
    const runtime = String(f.Runtime).match(/^nodejs(\d+)\.x$/);
    expect(runtime, `runtime ${f.Runtime}`).not.toBeNull();
    expect(Number(runtime?.[1])).toBeGreaterThanOrEqual(22);
    expect(f.Architectures).toEqual(['arm64']);
  });

  it.each(FUNCTION_NAMES)('%s ships its own bundle and nothing else', (name) => {
    expect(dev.zipEntries[name]).toEqual([`dist/${name}/index.mjs`]);
  });

  it('sets timeouts that fit the triggers (SCIM under the 30 s HTTP API limit, worker 60 s)', () => {
    const timeouts = Object.fromEntries(FUNCTION_NAMES.map((n) => [n, fn(t, n).Timeout]));
    expect(timeouts).toEqual({
      events: 10,
      okta: 10,
      scim: 29,
      worker: 60,
      rotate: 60,
      'rotate-key': 60,
      reconcile: 300,
    });
    for (const n of FUNCTION_NAMES) expect(Number(fn(t, n).MemorySize)).toBeGreaterThanOrEqual(256);
  });

  it('gives each function exactly the environment of docs/CONTRACT.md#configuration it needs', () => {
    const common = { VOXIMPLANT_API_URL: 'https://api.voximplant.com/platform_api', LOG_LEVEL: 'info', STAGE: 'dev' };
    const service = (name: FunctionName) => ({ POWERTOOLS_SERVICE_NAME: name });
    expect(env(t, 'events')).toEqual({
      ...common,
      ...service('events'),
      WEBHOOK_SECRET_ID: 'WebhookSecret',
      QUEUE_URL: 'EventQueue',
      STATE_TABLE: 'StateTable',
      PROTECTED_ADMIN_USERS: '',
      WEBHOOK_TOLERANCE_SECONDS: 'WebhookToleranceSeconds',
    });
    expect(env(t, 'okta')).toEqual({
      ...common,
      ...service('okta'),
      OKTA_HOOK_SECRET_ID: 'OktaHookSecret',
      QUEUE_URL: 'EventQueue',
      OKTA_NAME_FROM: 'local-part',
    });
    expect(env(t, 'scim')).toEqual({
      ...common,
      ...service('scim'),
      SCIM_TOKEN_SECRET_ID: 'ScimTokenSecret',
      VOXIMPLANT_CREDENTIALS_SECRET_ID: 'CredentialsSecret',
      STATE_TABLE: 'StateTable',
      PROTECTED_ADMIN_USERS: '',
      REACTIVATION_SOURCES: '',
      SCIM_DEFAULT_ROLE_NAME: '',
      SCIM_DELETE_MODE: 'deactivate',
      DRY_RUN: 'false',
      AUDIT_RETENTION_DAYS: '400',
      GUARD_ENABLED: 'true',
      GUARD_WINDOW_SECONDS: '900',
      GUARD_MAX_ACTIVATIONS: '5',
      GUARD_HOLD_DEACTIVATIONS: 'true',
      GUARD_MAX_DEACTIVATION_PERCENT: '10',
      GUARD_MIN_DEACTIVATIONS: '10',
    });
    expect(env(t, 'worker')).toEqual({
      ...common,
      ...service('worker'),
      VOXIMPLANT_CREDENTIALS_SECRET_ID: 'CredentialsSecret',
      STATE_TABLE: 'StateTable',
      DEAD_LETTER_QUEUE_URL: 'DeadLetterQueue',
      QUEUE_URL: 'EventQueue',
      PROTECTED_ADMIN_USERS: '',
      REACTIVATION_SOURCES: '',
      DRY_RUN: 'false',
      WORKER_CONCURRENCY: '4',
      AUDIT_RETENTION_DAYS: '400',
      GUARD_ENABLED: 'true',
      GUARD_WINDOW_SECONDS: '900',
      GUARD_MAX_ACTIVATIONS: '5',
      GUARD_HOLD_DEACTIVATIONS: 'true',
      GUARD_MAX_DEACTIVATION_PERCENT: '10',
      GUARD_MIN_DEACTIVATIONS: '10',
    });
    expect(env(t, 'reconcile')).toEqual({
      ...common,
      ...service('reconcile'),
      VOXIMPLANT_CREDENTIALS_SECRET_ID: 'CredentialsSecret',
      STATE_TABLE: 'StateTable',
      PROTECTED_ADMIN_USERS: '',
      REACTIVATION_SOURCES: '',
      DRY_RUN: 'false',
      RECONCILE_MODE: 'repair',
      AUDIT_RETENTION_DAYS: '400',
      GUARD_ENABLED: 'true',
      GUARD_WINDOW_SECONDS: '900',
      GUARD_MAX_ACTIVATIONS: '5',
      GUARD_HOLD_DEACTIVATIONS: 'true',
      GUARD_MAX_DEACTIVATION_PERCENT: '10',
      GUARD_MIN_DEACTIVATIONS: '10',
    });
    expect(env(t, 'rotate')).toEqual({
      ...common,
      ...service('rotate'),
      VOXIMPLANT_CREDENTIALS_SECRET_ID: 'CredentialsSecret',
      ROTATION_PASSWORD_CHECK: 'login',
    });
    expect(env(t, 'rotate-key')).toEqual({
      ...common,
      ...service('rotate-key'),
      VOXIMPLANT_CREDENTIALS_SECRET_ID: 'CredentialsSecret',
    });
  });

  it('routes the HTTP API (payload 2.0) as docs/CONTRACT.md#functions says', () => {
    const integrations = Object.fromEntries(
      resourcesOfType(t, 'AWS::ApiGatewayV2::Integration').map(([id, r]) => [id, r.Properties ?? {}]),
    );
    for (const i of Object.values(integrations)) expect(i.PayloadFormatVersion).toBe('2.0');
    const routes = resourcesOfType(t, 'AWS::ApiGatewayV2::Route').map(([, r]) => {
      // Target: {Fn::Join: ['/', ['integrations', {Ref: <integration>}]]}
      const target = r.Properties?.Target as { 'Fn::Join': [string, Json[]] };
      const [, parts] = target['Fn::Join'];
      const integration = integrations[refName(parts[1])] ?? {};
      return `${r.Properties?.RouteKey} -> ${refName(integration.IntegrationUri)}`;
    });
    expect(routes.sort()).toEqual(
      [
        'POST /events -> EventsLambdaFunction.Arn',
        'GET /hooks/okta -> OktaLambdaFunction.Arn',
        'POST /hooks/okta -> OktaLambdaFunction.Arn',
        'ANY /scim/v2/{proxy+} -> ScimLambdaFunction.Arn',
      ].sort(),
    );
  });

  it('throttles the public HTTP API', () => {
    const settings = props(t, 'HttpApiStage', 'AWS::ApiGatewayV2::Stage').DefaultRouteSettings as Record<string, Json>;
    expect(settings).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
  });
});

describe('webhook tolerance', () => {
  it('is a CloudFormation parameter bounded as the configuration bounds it, so a bad value fails the deploy', () => {
    expect(t.Parameters?.WebhookToleranceSeconds).toMatchObject({
      Type: 'Number',
      Default: '300',
      MinValue: 1,
      MaxValue: MAX_WEBHOOK_TOLERANCE_SECONDS,
    });
  });
});

describe('queues', () => {
  it('is an SQS FIFO queue deduplicated by our MessageDeduplicationId, redriving to a FIFO DLQ after 5 receives', () => {
    const q = props(t, 'EventQueue', 'AWS::SQS::Queue');
    expect(q.QueueName).toBe(`${SERVICE}-dev-events.fifo`);
    expect(q.FifoQueue).toBe(true);
    expect(q.ContentBasedDeduplication).toBe(false);
    const redrive = q.RedrivePolicy as Record<string, Json>;
    expect(refName(redrive.deadLetterTargetArn)).toBe('DeadLetterQueue.Arn');
    expect(redrive.maxReceiveCount).toBe(5);
  });

  it('has a FIFO dead-letter queue that keeps messages 14 days and accepts only the event queue', () => {
    const dlq = props(t, 'DeadLetterQueue', 'AWS::SQS::Queue');
    expect(dlq.FifoQueue).toBe(true);
    expect(String(dlq.QueueName)).toMatch(/\.fifo$/);
    expect(dlq.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    const allow = dlq.RedriveAllowPolicy as { redrivePermission: string; sourceQueueArnList: Json[] };
    expect(allow.redrivePermission).toBe('byQueue');
    expect(JSON.stringify(allow.sourceQueueArnList)).toContain(`:${SERVICE}-dev-events.fifo`);
  });

  it('sets the visibility timeout to at least six times the worker timeout', () => {
    const visibility = Number(props(t, 'EventQueue').VisibilityTimeout);
    expect(visibility).toBeGreaterThanOrEqual(6 * Number(fn(t, 'worker').Timeout));
  });

  it('feeds the worker through one event source mapping with ReportBatchItemFailures and bounded concurrency', () => {
    const mappings = resourcesOfType(t, 'AWS::Lambda::EventSourceMapping');
    expect(mappings.map(([id]) => id)).toEqual(['WorkerEventSourceMapping']);
    const [, m] = mappings[0]!;
    const mp = m.Properties ?? {};
    expect(refName(mp.EventSourceArn)).toBe('EventQueue.Arn');
    expect(refName(mp.FunctionName)).toBe('WorkerLambdaFunction.Arn');
    expect(mp.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(mp.BatchSize).toBe(10); // the FIFO maximum
    expect(mp.MaximumBatchingWindowInSeconds).toBeUndefined(); // FIFO has none
    const max = (mp.ScalingConfig as { MaximumConcurrency: number }).MaximumConcurrency;
    expect(max).toBeGreaterThanOrEqual(2); // the smallest value SQS accepts
    expect(max).toBeLessThanOrEqual(5); // protects Voximplant
    expect(asArray(m.DependsOn)).toContain('WorkerRole');
  });
});

describe('state table', () => {
  it('is on demand with pk/sk, TTL on expires_at and point-in-time recovery', () => {
    const table = props(t, 'StateTable', 'AWS::DynamoDB::Table');
    expect(table.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.AttributeDefinitions).toEqual([
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'audit_day', AttributeType: 'S' },
      { AttributeName: 'audit_at', AttributeType: 'S' },
    ]);
    // The audit history's sparse day index, as the local table helpers create it (src/audit/audit-keys.ts).
    expect(table.GlobalSecondaryIndexes).toEqual([AUDIT_DAY_INDEX_DEFINITION.globalSecondaryIndex]);
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'expires_at', Enabled: true });
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it('keeps the table and the credentials in prod when the stack is deleted, not in dev', () => {
    expect(resource(t, 'StateTable').DeletionPolicy).toBe('Delete');
    expect(resource(p, 'StateTable').DeletionPolicy).toBe('Retain');
    expect(resource(p, 'StateTable').UpdateReplacePolicy).toBe('Retain');
    expect(props(p, 'StateTable').DeletionProtectionEnabled).toBe(true);
    expect(resource(p, 'CredentialsSecret').DeletionPolicy).toBe('Retain');
  });
});

describe('secrets', () => {
  it('creates the credentials secret with a fixed placeholder (changing it would overwrite real credentials)', () => {
    const s = props(t, 'CredentialsSecret', 'AWS::SecretsManager::Secret');
    expect(s.Name).toBe(`${SERVICE}/dev/voximplant-credentials`);
    expect(s.SecretString).toBe('{"setup":"replace with the Voximplant credentials.json, see docs/DEPLOY.md"}');
    expect(String(s.Description)).toContain('put-secret-value');
  });

  it('generates the webhook secret as {"secrets":["whsec_<44 base64 chars>"]} from a seed', () => {
    const seed = props(t, 'WebhookSecretSeed', 'AWS::SecretsManager::Secret').GenerateSecretString as Record<
      string,
      Json
    >;
    expect(seed).toMatchObject({ GenerateStringKey: 'seed', PasswordLength: 44, ExcludePunctuation: true });
    const value = props(t, 'WebhookSecret').SecretString as { 'Fn::Sub': string };
    expect(value['Fn::Sub']).toBe(
      `{"secrets":["whsec_{{resolve:secretsmanager:\${WebhookSecretSeed}:SecretString:seed}}"]}`,
    );
  });

  it('generates the Okta authorization value and the SCIM token list', () => {
    const okta = props(t, 'OktaHookSecret').GenerateSecretString as Record<string, Json>;
    expect(okta).toMatchObject({ SecretStringTemplate: '{}', GenerateStringKey: 'authorization' });
    expect(Number(okta.PasswordLength)).toBeGreaterThanOrEqual(32);
    const scim = props(t, 'ScimTokenSecret').SecretString as { 'Fn::Sub': string };
    expect(scim['Fn::Sub']).toBe(`{"tokens":["{{resolve:secretsmanager:\${ScimTokenSeed}:SecretString:seed}}"]}`);
  });

  it('puts no secret value in the template', () => {
    const text = JSON.stringify([t, p]);
    expect(text).not.toMatch(/PRIVATE KEY|whsec_[A-Za-z0-9+/]{8}/);
  });
});

describe('rotation', () => {
  const SCHEDULE = /^(rate\(\d+ (hours|days)\)|cron\(0 [^ ]+ [^ ]+ [^ ]+ [^ ]+ \*\))$/;
  const WINDOW = /^([1-9]|1\d|2[0-4])h$/;

  it('rotates the credentials secret with rotate-key on a schedule, not on deploy', () => {
    const r = resource(t, 'KeyRotationSchedule', 'AWS::SecretsManager::RotationSchedule');
    const rp = r.Properties ?? {};
    expect(refName(rp.SecretId)).toBe('CredentialsSecret');
    expect(refName(rp.RotationLambdaARN)).toBe('RotateDashkeyLambdaFunction.Arn');
    expect(rp.RotateImmediatelyOnUpdate).toBe(false);
    const rules = rp.RotationRules as { ScheduleExpression: string; Duration: string };
    expect(rules.ScheduleExpression).toMatch(SCHEDULE);
    expect(rules.Duration).toMatch(WINDOW);
    expect(r.Condition).toBe('KeyRotationEnabled');
    expect(asArray(r.DependsOn)).toEqual(expect.arrayContaining(['RotateKeyInvokePermission', 'RotateKeyRole']));
  });

  it('lets Secrets Manager of this account invoke rotate-key', () => {
    const perm = props(t, 'RotateKeyInvokePermission', 'AWS::Lambda::Permission');
    expect(perm).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'secretsmanager.amazonaws.com' });
    expect(refName(perm.FunctionName)).toBe('RotateDashkeyLambdaFunction.Arn');
    expect(refName(perm.SourceAccount)).toBe('AWS::AccountId');
  });

  it('creates and schedules one admin password secret per name in the stage parameter', () => {
    for (const [id, name] of Object.entries(ADMIN_SECRETS)) {
      const s = props(p, `AdminPassword${id}Secret`, 'AWS::SecretsManager::Secret');
      expect(s.Name).toBe(`${SERVICE}/prod/admin-password/${name}`);
      // A placeholder rotate refuses: no admin_user_id, empty password.
      expect(JSON.parse(String(s.SecretString))).toEqual({ admin_user_name: name, password: '' });
      const r = resource(p, `AdminPassword${id}RotationSchedule`, 'AWS::SecretsManager::RotationSchedule');
      const rp = r.Properties ?? {};
      expect(refName(rp.SecretId)).toBe(`AdminPassword${id}Secret`);
      expect(refName(rp.RotationLambdaARN)).toBe('RotateLambdaFunction.Arn');
      expect(rp.RotateImmediatelyOnUpdate).toBe(false);
      const rules = rp.RotationRules as { ScheduleExpression: string; Duration: string };
      expect(rules.ScheduleExpression).toMatch(SCHEDULE);
      expect(rules.Duration).toMatch(WINDOW);
      expect(asArray(r.DependsOn)).toEqual(['RotateInvokePermission', 'RotateAdminPasswordSecretsPolicy']);
    }
    const perm = props(p, 'RotateInvokePermission', 'AWS::Lambda::Permission');
    expect(perm.Principal).toBe('secretsmanager.amazonaws.com');
    expect(refName(perm.FunctionName)).toBe('RotateLambdaFunction.Arn');
    expect(refName(perm.SourceAccount)).toBe('AWS::AccountId');
  });

  it('lets Secrets Manager invoke rotate for a secret made outside the stack, without creating one', () => {
    // Only the prod variant lists an external secret; its invoke permission is the one the generated secrets use.
    const secrets = resourcesOfType(p, 'AWS::SecretsManager::Secret').map(([, r]) => String(r.Properties?.Name));
    expect(secrets.filter((n) => n.includes('made-by-hand'))).toEqual([]);
    expect(JSON.stringify(props(p, 'RotateAdminPasswordSecretsPolicy').PolicyDocument)).toContain(EXTERNAL_SECRET);
    expect(props(p, 'RotateInvokePermission').Principal).toBe('secretsmanager.amazonaws.com');
  });

  it('creates no admin password resource at all for an empty list (the default)', () => {
    const generated = Object.keys(t.Resources).filter((id) => /^AdminPassword|^RotateInvoke|^RotateAdmin/.test(id));
    expect(generated).toEqual([]);
    expect(resourcesOfType(t, 'AWS::SecretsManager::RotationSchedule').map(([id]) => id)).toEqual([
      'KeyRotationSchedule',
    ]);
  });
});

/** Every `action resource` pair a role is allowed, from its inline policies and any AWS::IAM::Policy attached. */
function grants(template: Template, roleId: string): string[] {
  const docs: Json[] = [];
  const role = props(template, roleId, 'AWS::IAM::Role');
  for (const policy of asArray(role.Policies as Json[])) docs.push((policy as Record<string, Json>).PolicyDocument!);
  for (const [, r] of resourcesOfType(template, 'AWS::IAM::Policy')) {
    if (asArray(r.Properties?.Roles as Json[]).some((x) => refName(x) === roleId))
      docs.push(r.Properties!.PolicyDocument!);
  }
  const out: string[] = [];
  for (const doc of docs) {
    for (const s of asArray((doc as Record<string, Json>).Statement as Json[]) as Record<string, Json>[]) {
      expect(s.Effect, `${roleId}: only Allow statements`).toBe('Allow');
      expect(Object.keys(s).sort(), `${roleId}: no NotAction/NotResource/Condition surprises`).toEqual(
        ['Action', 'Effect', 'Resource'].sort(),
      );
      for (const action of asArray(s.Action as Json[])) {
        for (const res of asArray(s.Resource as Json[])) out.push(`${action} ${refName(res)}`);
      }
    }
  }
  return out.sort();
}

describe('least privilege', () => {
  const logs = (group: string) => [`logs:CreateLogStream ${group}.Arn`, `logs:PutLogEvents ${group}.Arn`];
  const items = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'].map((a) => `dynamodb:${a} StateTable.Arn`);
  // The apply step's claim transaction checks the earlier layout's lease item (src/state/dynamo-change-store.ts); a
  // TransactWriteItems needs the per-item action of each part.
  const applyItems = [...items, 'dynamodb:ConditionCheckItem StateTable.Arn'];
  const itemsAndQuery = [...applyItems, 'dynamodb:Query StateTable.Arn']; // SCIM lists its records with Query
  const rotation = (secret: string) =>
    ['DescribeSecret', 'GetSecretValue', 'PutSecretValue', 'UpdateSecretVersionStage'].map(
      (a) => `secretsmanager:${a} ${secret}`,
    );
  const ROLES: Record<FunctionName, string> = {
    events: 'EventsRole',
    okta: 'OktaRole',
    scim: 'ScimRole',
    worker: 'WorkerRole',
    rotate: 'RotateRole',
    'rotate-key': 'RotateKeyRole',
    reconcile: 'ReconcileRole',
  };
  const expected: Record<string, string[]> = {
    EventsRole: [
      ...logs('EventsLogGroup'),
      'dynamodb:PutItem StateTable.Arn',
      'secretsmanager:GetSecretValue WebhookSecret',
      'sqs:SendMessage EventQueue.Arn',
    ],
    OktaRole: [
      ...logs('OktaLogGroup'),
      'secretsmanager:GetSecretValue OktaHookSecret',
      'sqs:SendMessage EventQueue.Arn',
    ],
    ScimRole: [
      ...logs('ScimLogGroup'),
      'secretsmanager:GetSecretValue ScimTokenSecret',
      'secretsmanager:GetSecretValue CredentialsSecret',
      ...itemsAndQuery,
    ],
    WorkerRole: [
      ...logs('WorkerLogGroup'),
      'secretsmanager:GetSecretValue CredentialsSecret',
      ...applyItems,
      // The blast-radius guard reads an admin's held changes with one Query (src/guard/held-store.ts).
      'dynamodb:Query StateTable.Arn',
      'sqs:ReceiveMessage EventQueue.Arn',
      'sqs:DeleteMessage EventQueue.Arn',
      'sqs:GetQueueAttributes EventQueue.Arn',
      'sqs:ChangeMessageVisibility EventQueue.Arn',
      'sqs:SendMessage DeadLetterQueue.Arn',
    ],
    RotateRole: [...logs('RotateLogGroup'), 'secretsmanager:GetSecretValue CredentialsSecret'],
    RotateKeyRole: [...logs('RotateDashkeyLogGroup'), ...rotation('CredentialsSecret')],
    // The managed admins (Scan, read-only) and what a repair through the apply step needs.
    ReconcileRole: [
      ...logs('ReconcileLogGroup'),
      'secretsmanager:GetSecretValue CredentialsSecret',
      ...applyItems,
      // The blast-radius guard on a repair reads the admin's held changes.
      'dynamodb:Query StateTable.Arn',
      'dynamodb:Scan StateTable.Arn',
    ],
  };

  it('gives every function its own role, assumable by Lambda only, and no shared framework role', () => {
    const roleOf = FUNCTION_NAMES.map((n) => refName(fn(t, n).Role));
    expect(roleOf).toEqual(FUNCTION_NAMES.map((n) => `${ROLES[n]}.Arn`));
    expect(
      resourcesOfType(t, 'AWS::IAM::Role')
        .map(([id]) => id)
        .sort(),
    ).toEqual(Object.values(ROLES).sort());
    for (const roleId of Object.values(ROLES)) {
      expect(props(t, roleId).AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      });
    }
  });

  it.each(Object.entries(expected))('%s is allowed exactly what its function uses', (roleId, allowed) => {
    expect(grants(t, roleId)).toEqual([...allowed].sort());
  });

  it('lets rotate use exactly the admin password secrets of the stage and the listed external ones, and GetRandomPassword', () => {
    const secrets = [
      ...Object.keys(ADMIN_SECRETS).flatMap((id) => rotation(`AdminPassword${id}Secret`)),
      ...rotation(EXTERNAL_SECRET),
    ];
    expect(grants(p, 'RotateRole')).toEqual(
      [...expected.RotateRole!, ...secrets, 'secretsmanager:GetRandomPassword *'].sort(),
    );
  });

  it('has no wildcard action and no wildcard resource except GetRandomPassword (AWS offers no other)', () => {
    for (const template of [t, p]) {
      for (const roleId of Object.values(ROLES)) {
        for (const g of grants(template, roleId)) {
          const [action, res] = g.split(' ');
          expect(action, g).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
          if (res === '*') expect(action, g).toBe('secretsmanager:GetRandomPassword');
          else expect(res, g).not.toContain('*');
        }
      }
    }
  });

  it('lets no function read the seed secrets', () => {
    for (const template of [t, p]) {
      for (const roleId of Object.values(ROLES)) {
        expect(grants(template, roleId).filter((g) => g.includes('Seed'))).toEqual([]);
      }
    }
  });
});

describe('credentials secret resource policy', () => {
  const readers = ['ScimRole.Arn', 'WorkerRole.Arn', 'RotateRole.Arn', 'RotateKeyRole.Arn', 'ReconcileRole.Arn'];

  function statement(template: Template): Record<string, Json> {
    const rp = props(template, 'CredentialsSecretResourcePolicy', 'AWS::SecretsManager::ResourcePolicy');
    expect(refName(rp.SecretId)).toBe('CredentialsSecret');
    expect(rp.BlockPublicPolicy).toBe(true);
    const statements = (rp.ResourcePolicy as { Statement: Record<string, Json>[] }).Statement;
    expect(statements).toHaveLength(1);
    return statements[0]!;
  }

  it('denies reading the credentials to every principal but the five functions that sign with them', () => {
    const s = statement(t);
    expect(s).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' });
    const allowed = (s.Condition as { ArnNotEquals: { 'aws:PrincipalArn': Json[] } }).ArnNotEquals['aws:PrincipalArn'];
    expect(allowed.slice(0, 5).map(refName)).toEqual(readers);
    // The optional operator role: present only when configured.
    expect(allowed[5]).toEqual({
      'Fn::If': ['HasCredentialsReader', { Ref: 'CredentialsReaderRoleArn' }, { Ref: 'AWS::NoValue' }],
    });
    expect(allowed).toHaveLength(6);
    expect(t.Conditions?.HasCredentialsReader).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'CredentialsReaderRoleArn' }, ''] }],
    });
    expect(t.Parameters?.CredentialsReaderRoleArn?.Default).toBe('');
    expect(p.Parameters?.CredentialsReaderRoleArn?.Default).toBe(READER_ROLE);
  });

  it('names exactly the roles whose policies read the credentials secret', () => {
    const readersByGrant = Object.keys(t.Resources)
      .filter((id) => t.Resources[id]?.Type === 'AWS::IAM::Role')
      .filter((id) => grants(t, id).includes('secretsmanager:GetSecretValue CredentialsSecret'))
      .map((id) => `${id}.Arn`)
      .sort();
    expect(readersByGrant).toEqual([...readers].sort());
  });

  it('accepts only an IAM role ARN as the extra reader', () => {
    const pattern = new RegExp(String(t.Parameters?.CredentialsReaderRoleArn?.AllowedPattern));
    expect(pattern.test(READER_ROLE)).toBe(true);
    expect(pattern.test('')).toBe(true);
    expect(pattern.test('arn:aws:iam::123456789012:user/someone')).toBe(false);
    expect(pattern.test('*')).toBe(false);
  });
});

describe('deployment bucket', () => {
  it('blocks all public access and keeps versions', () => {
    for (const template of [t, p]) {
      const b = props(template, 'ServerlessDeploymentBucket', 'AWS::S3::Bucket');
      expect(b.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(b.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    }
  });
});

describe('alarms', () => {
  function alarm(template: Template, id: string) {
    return props(template, id, 'AWS::CloudWatch::Alarm');
  }

  it('alarms when anything is in the dead-letter queue', () => {
    const a = alarm(t, 'DeadLetterQueueAlarm');
    expect(a).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect((a.Dimensions as Record<string, Json>[]).map((d) => `${d.Name}=${refName(d.Value)}`)).toEqual([
      'QueueName=DeadLetterQueue.QueueName',
    ]);
  });

  it('alarms on worker errors and on rotation errors', () => {
    for (const [id, target] of [
      ['WorkerErrorsAlarm', 'WorkerLambdaFunction'],
      ['RotateErrorsAlarm', 'RotateLambdaFunction'],
      ['RotateKeyErrorsAlarm', 'RotateDashkeyLambdaFunction'],
    ] as const) {
      const a = alarm(t, id);
      expect(a).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Threshold: 0 });
      expect((a.Dimensions as Record<string, Json>[]).map((d) => `${d.Name}=${refName(d.Value)}`)).toEqual([
        `FunctionName=${target}`,
      ]);
    }
  });

  it('alarms on permanent Voximplant failures: a metric the worker publishes, under its service name', () => {
    const a = alarm(t, 'PermanentFailuresAlarm');
    expect(a.Namespace).toBe(METRICS_NAMESPACE);
    // The stage dimension keeps two stages in one account and region apart (createMetrics adds it from STAGE).
    expect(a.Dimensions).toEqual([
      { Name: 'service', Value: 'worker' },
      { Name: 'stage', Value: 'dev' },
    ]);
    expect(alarm(p, 'PermanentFailuresAlarm').Dimensions).toContainEqual({ Name: 'stage', Value: 'prod' });
    // The alarm only works while the code emits exactly this metric from exactly this service.
    const worker = readFileSync(join(root, 'functions', 'worker.ts'), 'utf8');
    expect(worker, 'functions/worker.ts must create its metrics as service "worker"').toMatch(
      /createMetrics\(\s*'worker'\s*\)/,
    );
    const emitted = readFileSync(join(root, 'src', 'worker', 'process-batch.ts'), 'utf8');
    expect(emitted, `src/worker/process-batch.ts must count METRIC.${a.MetricName}`).toContain(
      `METRIC.${a.MetricName}`,
    );
  });

  it('notifies the SNS topic only when one is configured', () => {
    const ids = resourcesOfType(t, 'AWS::CloudWatch::Alarm').map(([id]) => id);
    expect(ids.length).toBe(9);
    for (const id of ids) {
      for (const template of [t, p]) {
        for (const key of ['AlarmActions', 'OKActions']) {
          expect(alarm(template, id)[key]).toEqual({
            'Fn::If': ['HasAlarmTopic', [{ Ref: 'AlarmTopicArn' }], { Ref: 'AWS::NoValue' }],
          });
        }
      }
    }
    // The topic is a CloudFormation parameter whose default is the stage parameter, so no empty ARN literal is in
    // the template (cfn-lint validates both branches of an Fn::If).
    expect(t.Parameters?.AlarmTopicArn?.Default).toBe('');
    expect(p.Parameters?.AlarmTopicArn?.Default).toBe(ALARM_TOPIC);
    const pattern = new RegExp(String(t.Parameters?.AlarmTopicArn?.AllowedPattern));
    expect(pattern.test(ALARM_TOPIC)).toBe(true);
    expect(pattern.test('')).toBe(true);
    expect(pattern.test('arn:aws:sqs:eu-central-1:123456789012:vox-ops')).toBe(false);
    expect(t.Conditions?.HasAlarmTopic).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmTopicArn' }, ''] }] });
  });
});

describe('outputs', () => {
  it('prints the endpoint URLs, the queues, the table and the secrets', () => {
    const o = t.Outputs ?? {};
    expect(o.EventsUrl?.Value).toEqual({ 'Fn::Sub': `\${HttpApi.ApiEndpoint}/events` });
    expect(o.OktaHookUrl?.Value).toEqual({ 'Fn::Sub': `\${HttpApi.ApiEndpoint}/hooks/okta` });
    expect(o.ScimBaseUrl?.Value).toEqual({ 'Fn::Sub': `\${HttpApi.ApiEndpoint}/scim/v2` });
    const refs = Object.fromEntries(
      ['EventQueueUrl', 'DeadLetterQueueUrl', 'DeadLetterQueueArn', 'StateTableName', 'CredentialsSecretArn'].map(
        (k) => [k, refName(o[k]?.Value)],
      ),
    );
    expect(refs).toEqual({
      EventQueueUrl: 'EventQueue',
      DeadLetterQueueUrl: 'DeadLetterQueue',
      DeadLetterQueueArn: 'DeadLetterQueue.Arn',
      StateTableName: 'StateTable',
      CredentialsSecretArn: 'CredentialsSecret',
    });
    for (const k of ['WebhookSecretArn', 'OktaHookSecretArn', 'ScimTokenSecretArn']) expect(o[k]).toBeDefined();
  });
});

/** Every Ref, Fn::GetAtt, Fn::Sub variable, DependsOn, Condition and Fn::If names something that exists. */
function danglingReferences(template: Template): string[] {
  const resources = new Set([...Object.keys(template.Resources), ...Object.keys(template.Parameters ?? {})]);
  const conditions = new Set(Object.keys(template.Conditions ?? {}));
  const problems: string[] = [];
  const checkName = (name: string, where: string) => {
    if (name.startsWith('AWS::')) return;
    if (!resources.has(name)) problems.push(`${where}: ${name}`);
  };
  const walk = (node: Json, where: string): void => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => {
        walk(n, `${where}[${i}]`);
      });
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Ref' && typeof value === 'string') checkName(value, where);
      else if (key === 'Fn::GetAtt' && Array.isArray(value)) checkName(String(value[0]), where);
      else if (key === 'Fn::If' && Array.isArray(value) && !conditions.has(String(value[0])))
        problems.push(`${where}: condition ${value[0]}`);
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(value) ? String(value[0]) : String(value);
        const locals = Array.isArray(value) && value[1] && typeof value[1] === 'object' ? Object.keys(value[1]) : [];
        for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const name = m[1]!.split('.')[0]!;
          if (!locals.includes(name)) checkName(name, `${where} Fn::Sub`);
        }
      }
      walk(value, `${where}.${key}`);
    }
  };
  for (const [id, r] of Object.entries(template.Resources)) {
    for (const d of asArray(r.DependsOn)) checkName(d, `${id}.DependsOn`);
    if (r.Condition !== undefined && !conditions.has(r.Condition)) problems.push(`${id}.Condition: ${r.Condition}`);
    walk((r.Properties ?? {}) as Json, id);
  }
  walk((template.Outputs ?? {}) as unknown as Json, 'Outputs');
  return problems;
}

describe('template integrity', () => {
  it('has no dangling references', () => {
    expect(danglingReferences(t)).toEqual([]);
    expect(danglingReferences(p)).toEqual([]);
  });

  it('is the same for any region (no region written into it)', () => {
    expect(JSON.stringify(p).replaceAll(ALARM_TOPIC, '').replaceAll(EXTERNAL_SECRET, '')).not.toContain('eu-central-1');
  });
});

describe('bundle budget', () => {
  const { budgets } = JSON.parse(readFileSync(join(root, 'infra', 'bundle-budgets.json'), 'utf8')) as {
    budgets: Record<string, number>;
  };

  it('states a budget for exactly the seven functions', () => {
    expect(Object.keys(budgets).sort()).toEqual([...FUNCTION_NAMES].sort());
  });

  it.each(FUNCTION_NAMES)('%s fits its budget', (name) => {
    const bytes = statSync(join(root, 'dist', name, 'index.mjs')).size;
    expect(bytes, `dist/${name}/index.mjs is ${bytes} bytes; budget ${budgets[name]}`).toBeLessThanOrEqual(
      budgets[name]!,
    );
  });

  it('shows the budgets in docs/DEPLOY.md', () => {
    const doc = readFileSync(join(root, 'docs', 'DEPLOY.md'), 'utf8');
    for (const name of FUNCTION_NAMES) {
      // A table row: | `name` | <measured> KiB | <budget> KiB |  (the formatter pads the cells)
      const budget = `${(budgets[name]! / 1024).toFixed(1)} KiB`;
      const row = new RegExp(`^\\|\\s*\`${name}\`\\s*\\|[^|\\n]*\\|\\s*${budget.replace('.', '\\.')}\\s*\\|$`, 'm');
      expect(doc, `docs/DEPLOY.md must list ${name} with its budget ${budget}`).toMatch(row);
    }
  });
});
