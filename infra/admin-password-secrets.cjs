'use strict';
/**
 * The admin password secrets of one stage (docs/CONTRACT.md#rotation), expanded from the `adminPasswordSecrets` stage parameter
 * at package time: for each Voximplant admin_user_name in the list, a secret with a placeholder value and a rotation
 * schedule that runs the `rotate` function; then, once, the permission Secrets Manager needs to invoke `rotate` and
 * the IAM policy that lets `rotate` use exactly these secrets and those listed by ARN in the
 * `adminPasswordExternalSecretArns` stage parameter (secrets made outside the stack, whose schedule the operator
 * attaches).
 *
 * Why JavaScript: CloudFormation has no loop without the AWS::LanguageExtensions transform (Fn::ForEach), which
 * only AWS expands, so its result could not be checked offline; an empty list must also produce no resource at
 * all (an IAM statement with no resource is invalid). Serverless resolves `${file(x.cjs)}` by calling the exported
 * function (CommonJS: the framework loads it with require()).
 */

const PARAMETER = 'adminPasswordSecrets';
const EXTERNAL_PARAMETER = 'adminPasswordExternalSecretArns';
// Secrets Manager secret names allow letters, digits and /_+=.@- ; Voximplant admin names are < 50 characters.
const NAME_PATTERN = /^[A-Za-z0-9_+=.@-]{1,49}$/;

/** '' / 'none' / 'a,b' / ['a','b'] → ['a','b'], or an Error naming the bad entry. */
function parseNames(raw) {
  if (raw === undefined || raw === null) return [];
  const items = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  const names = items.map((s) => s.trim()).filter((s) => s.length > 0 && s.toLowerCase() !== 'none');
  const seen = new Map();
  for (const name of names) {
    if (!NAME_PATTERN.test(name)) {
      throw new Error(
        `${PARAMETER}: "${name}" is not usable as a Voximplant admin name in a secret name (1-49 of A-Z a-z 0-9 _+=.@-)`,
      );
    }
    const id = logicalIdPart(name);
    if (seen.has(id)) {
      throw new Error(`${PARAMETER}: "${name}" and "${seen.get(id)}" map to the same resource name ${id}; rename one`);
    }
    seen.set(id, name);
  }
  return names;
}

// A full secret ARN, with the six random characters Secrets Manager appends to the name: IAM matches a secret
// ARN exactly, and a shorter one would need a wildcard.
const SECRET_ARN_PATTERN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;

/** '' / 'none' / 'arn1,arn2' / [...] → the ARNs of admin password secrets made outside this stack. */
function parseExternalArns(raw) {
  if (raw === undefined || raw === null) return [];
  const items = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  const arns = items.map((s) => s.trim()).filter((s) => s.length > 0 && s.toLowerCase() !== 'none');
  for (const arn of arns) {
    if (!SECRET_ARN_PATTERN.test(arn)) {
      throw new Error(
        `${EXTERNAL_PARAMETER}: "${arn}" is not a full Secrets Manager secret ARN ` +
          '(arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)',
      );
    }
  }
  return [...new Set(arns)];
}

/** ops-bot → OpsBot: CloudFormation logical ids are letters and digits only. */
function logicalIdPart(name) {
  const parts = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const id = parts.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
  return id.length > 0 ? id : 'X';
}

/**
 * The CloudFormation fragment ({Resources}) for these names and external secret ARNs; {Resources: {}} for none.
 * An external secret gets no resource of its own, only the permission and the grants `rotate` needs to rotate it:
 * the operator attaches the schedule (`aws secretsmanager rotate-secret --rotation-lambda-arn ...`).
 */
function adminPasswordResources({ names, externalArns = [], service, stage, schedule, window, deletionPolicy }) {
  const Resources = {};
  if (names.length === 0 && externalArns.length === 0) return { Resources };
  const secretIds = [];
  for (const name of names) {
    const id = logicalIdPart(name);
    const secretId = `AdminPassword${id}Secret`;
    secretIds.push(secretId);
    Resources[secretId] = {
      Type: 'AWS::SecretsManager::Secret',
      DeletionPolicy: deletionPolicy,
      UpdateReplacePolicy: deletionPolicy,
      Properties: {
        Name: `${service}/${stage}/admin-password/${name}`,
        Description:
          `Password of the Voximplant admin user ${name}, rotated by the rotate function. Created with a ` +
          'placeholder: put {"admin_user_id", "admin_user_name", "password", "account_id"?} in (docs/DEPLOY.md).',
        // A fixed placeholder that `rotate` refuses (no admin_user_id, an empty password). Never change it:
        // CloudFormation rewrites SecretString whenever the template's value changes.
        SecretString: JSON.stringify({ admin_user_name: name, password: '' }),
      },
    };
    Resources[`AdminPassword${id}RotationSchedule`] = {
      Type: 'AWS::SecretsManager::RotationSchedule',
      DependsOn: ['RotateInvokePermission', 'RotateAdminPasswordSecretsPolicy'],
      Properties: {
        SecretId: { Ref: secretId },
        RotationLambdaARN: { 'Fn::GetAtt': ['RotateLambdaFunction', 'Arn'] },
        // Not on deploy: the secret holds a placeholder until the operator fills it in.
        RotateImmediatelyOnUpdate: false,
        RotationRules: { ScheduleExpression: schedule, Duration: window },
      },
    };
  }
  Resources.RotateInvokePermission = {
    Type: 'AWS::Lambda::Permission',
    Properties: {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': ['RotateLambdaFunction', 'Arn'] },
      Principal: 'secretsmanager.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    },
  };
  Resources.RotateAdminPasswordSecretsPolicy = {
    Type: 'AWS::IAM::Policy',
    Properties: {
      PolicyName: 'rotate-admin-passwords',
      Roles: [{ Ref: 'RotateRole' }],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            // The four rotation steps on these secrets (and the listed external ones) and no other.
            Effect: 'Allow',
            Action: [
              'secretsmanager:DescribeSecret',
              'secretsmanager:GetSecretValue',
              'secretsmanager:PutSecretValue',
              'secretsmanager:UpdateSecretVersionStage',
            ],
            Resource: [...secretIds.map((id) => ({ Ref: id })), ...externalArns],
          },
          {
            // The documented exception: GetRandomPassword acts on no resource, so IAM accepts only "*" here.
            Effect: 'Allow',
            Action: ['secretsmanager:GetRandomPassword'],
            Resource: '*',
          },
        ],
      },
    },
  };
  return { Resources };
}

module.exports = async ({ resolveVariable }) => {
  const raw = await resolveVariable(`param:${PARAMETER}`);
  return adminPasswordResources({
    names: parseNames(raw),
    externalArns: parseExternalArns(await resolveVariable(`param:${EXTERNAL_PARAMETER}`)),
    service: await resolveVariable('self:service'),
    stage: await resolveVariable('sls:stage'),
    schedule: await resolveVariable('param:adminPasswordRotationSchedule'),
    window: await resolveVariable('param:adminPasswordRotationWindow'),
    deletionPolicy: await resolveVariable('param:dataDeletionPolicy'),
  });
};
module.exports.parseNames = parseNames;
module.exports.parseExternalArns = parseExternalArns;
module.exports.adminPasswordResources = adminPasswordResources;
