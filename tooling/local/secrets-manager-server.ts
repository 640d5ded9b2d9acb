import { randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import * as z from 'zod';
import { closerOf, listenOn, readBoundedBody } from '../../src/runtime/node-http';

/**
 * AWS Secrets Manager on this machine, for `npm start` and tests. No emulator exists on npm or in Debian's
 * packages, so this speaks the service's JSON 1.1 protocol over node:http (`X-Amz-Target: secretsmanager.<Op>`)
 * and models versions and staging labels the way AWS does, because the rotation functions depend on exactly that
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda.html):
 * - a staging label is on at most one version; moving AWSCURRENT moves AWSPREVIOUS to the version it left;
 * - before a rotation AWS adds a version whose id is the ClientRequestToken, labelled AWSPENDING, with NO value;
 *   GetSecretValue on it is ResourceNotFoundException until PutSecretValue writes one;
 * - PutSecretValue is idempotent on its ClientRequestToken: same token and value do nothing, another value fails;
 * - UpdateSecretVersionStage refuses to take a label from a version that is not named in RemoveFromVersionId.
 * It serves only the operations the product calls: GetSecretValue, PutSecretValue, DescribeSecret,
 * UpdateSecretVersionStage and GetRandomPassword; secrets are created through `putSecret`. Any other target is
 * answered as AWS answers an action it does not know: 400 `InvalidAction`
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html).
 * Errors are AWS JSON errors (`__type`, `message`) so the real SDK raises its own exception classes.
 * Secret values are never logged, and never put in an error message.
 */
export interface LocalSecretsManager {
  endpoint: string;
  close(): Promise<void>;
  /** Creates the secret, or adds a version to it; the new version gets AWSCURRENT. Returns the ARN. */
  putSecret(name: string, value: string | object): string;
  /** What AWS does before it invokes a rotation function: a new version id with stage AWSPENDING and NO value. */
  beginRotation(name: string): string;
  setRotationEnabled(name: string, enabled: boolean): void;
  /** Version id → staging labels, for every version that has a label (DescribeSecret's VersionIdsToStages). */
  stages(name: string): Record<string, string[]>;
  /** The AWSCURRENT SecretString, or undefined. */
  current(name: string): string | undefined;
  /** Requests received per operation (all operations when `op` is omitted), failed ones included. */
  requestCount(op?: string): number;
  /** The next `times` (default 1) calls of `op` fail with `errorName` (default InternalServiceError, HTTP 500). */
  failNext(op: string, times?: number, errorName?: string): void;
}

export interface SecretsManagerServerOptions {
  port?: number;
  host?: string;
  /** Epoch milliseconds; injected by tests. */
  now?: () => number;
}

const AWSCURRENT = 'AWSCURRENT';
const AWSPREVIOUS = 'AWSPREVIOUS';
const AWSPENDING = 'AWSPENDING';
const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const MAX_BODY_BYTES = 1024 * 1024;

interface SecretVersion {
  id: string;
  /** Absent for the value-less AWSPENDING version a rotation starts with. */
  value?: { string: string } | { binary: string };
  stages: Set<string>;
  createdAt: number;
}

interface StoredSecret {
  name: string;
  arn: string;
  createdAt: number;
  lastChangedAt: number;
  rotationEnabled: boolean;
  versions: Map<string, SecretVersion>;
}

/** An error AWS would answer: the SDK turns `type` into the exception class of the same name. */
class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const notFound = () => new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

// ---------------------------------------------------------------------------------------------------------------
// Request shapes (the fields this server reads; the SDK never sends others we would need).

const token = z.string().min(32).max(64);
const stageName = z.string().min(1).max(256);
const requests = {
  GetSecretValue: z.object({
    SecretId: z.string().min(1),
    VersionId: token.optional(),
    VersionStage: stageName.optional(),
  }),
  PutSecretValue: z.object({
    SecretId: z.string().min(1),
    ClientRequestToken: token.optional(),
    SecretString: z.string().optional(),
    SecretBinary: z.string().optional(),
    VersionStages: z.array(stageName).min(1).max(20).optional(),
    RotationToken: z.string().optional(),
  }),
  DescribeSecret: z.object({ SecretId: z.string().min(1) }),
  UpdateSecretVersionStage: z.object({
    SecretId: z.string().min(1),
    VersionStage: stageName,
    MoveToVersionId: token.optional(),
    RemoveFromVersionId: token.optional(),
  }),
  GetRandomPassword: z.object({
    PasswordLength: z.number().int().min(1).max(4096).optional(),
    ExcludeCharacters: z.string().max(4096).optional(),
    ExcludeNumbers: z.boolean().optional(),
    ExcludePunctuation: z.boolean().optional(),
    ExcludeUppercase: z.boolean().optional(),
    ExcludeLowercase: z.boolean().optional(),
    IncludeSpace: z.boolean().optional(),
    RequireEachIncludedType: z.boolean().optional(),
  }),
};
type Requests = { [K in keyof typeof requests]: z.infer<(typeof requests)[K]> };

function parseRequest<K extends keyof Requests>(op: K, body: unknown): Requests[K] {
  const parsed = requests[op].safeParse(body);
  if (parsed.success) return parsed.data as Requests[K];
  // The shape of AWS's message; the value is left out on purpose (it may be a secret).
  const problems = parsed.error.issues.map((i) => `at '${i.path.join('.')}' failed to satisfy constraint: ${i.code}`);
  throw new AwsError('ValidationException', `${problems.length} validation error(s) detected: ${problems.join('; ')}`);
}

// ---------------------------------------------------------------------------------------------------------------
// GetRandomPassword, with AWS's character classes and defaults (length 32, each included type required).

const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUMBERS = '0123456789';
/** The 32 characters AWS documents for ExcludePunctuation. */
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

function randomPassword(input: Requests['GetRandomPassword']): string {
  const length = input.PasswordLength ?? 32;
  const excluded = new Set(input.ExcludeCharacters ?? '');
  const keep = (chars: string) => [...chars].filter((c) => !excluded.has(c)).join('');
  // RequireEachIncludedType covers these four types (AWS: "at least one upper and lowercase letter, one number,
  // and one punctuation"); a space, when included, is allowed but not required.
  const types = [
    input.ExcludeLowercase ? '' : keep(LOWERCASE),
    input.ExcludeUppercase ? '' : keep(UPPERCASE),
    input.ExcludeNumbers ? '' : keep(NUMBERS),
    input.ExcludePunctuation ? '' : keep(PUNCTUATION),
  ].filter((t) => t.length > 0);
  const all = types.join('') + (input.IncludeSpace && !excluded.has(' ') ? ' ' : '');
  if (all.length === 0) {
    throw new AwsError('InvalidParameterException', 'The password cannot be generated: every character is excluded.');
  }
  const required = (input.RequireEachIncludedType ?? true) ? types : [];
  if (length < required.length) {
    throw new AwsError('InvalidParameterException', 'Password length is too short based on the required types.');
  }
  const pick = (chars: string) => chars.charAt(randomInt(chars.length));
  const chars = [...required.map(pick), ...Array.from({ length: length - required.length }, () => pick(all))];
  // Fisher–Yates, so the required characters are not always at the front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

// ---------------------------------------------------------------------------------------------------------------
// The model: secrets, versions, staging labels.

class SecretsModel {
  private readonly secrets = new Map<string, StoredSecret>();

  constructor(private readonly now: () => number) {}

  find(secretId: string): StoredSecret | undefined {
    const byName = this.secrets.get(secretId);
    if (byName !== undefined) return byName;
    for (const secret of this.secrets.values()) {
      // A full ARN, or a partial ARN (the ARN without AWS's random six-character suffix).
      if (secret.arn === secretId || secret.arn.slice(0, -7) === secretId) return secret;
    }
    return undefined;
  }

  get(secretId: string): StoredSecret {
    const secret = this.find(secretId);
    if (secret === undefined) throw notFound();
    return secret;
  }

  create(name: string): StoredSecret {
    const suffix = Array.from(
      { length: 6 },
      () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'[randomInt(52)],
    );
    const at = this.now();
    const secret: StoredSecret = {
      name,
      arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-${suffix.join('')}`,
      createdAt: at,
      lastChangedAt: at,
      rotationEnabled: false,
      versions: new Map(),
    };
    this.secrets.set(name, secret);
    return secret;
  }

  holderOf(secret: StoredSecret, stage: string): SecretVersion | undefined {
    for (const v of secret.versions.values()) if (v.stages.has(stage)) return v;
    return undefined;
  }

  /**
   * Puts a label on a version, taking it from whichever version had it. Moving AWSCURRENT puts AWSPREVIOUS on the
   * version it left, as AWS does for PutSecretValue and UpdateSecretVersionStage alike.
   */
  attach(secret: StoredSecret, version: SecretVersion, stage: string): void {
    const holder = this.holderOf(secret, stage);
    if (holder === version) return;
    holder?.stages.delete(stage);
    version.stages.add(stage);
    if (stage === AWSCURRENT && holder !== undefined) this.attach(secret, holder, AWSPREVIOUS);
    secret.lastChangedAt = this.now();
  }

  /** A new version, or the value for the value-less version a rotation created (same id). Idempotent on the id. */
  putValue(
    secret: StoredSecret,
    versionId: string,
    value: NonNullable<SecretVersion['value']>,
    stages: string[],
  ): SecretVersion {
    const existing = secret.versions.get(versionId);
    if (existing?.value !== undefined) {
      if (sameValue(existing.value, value)) return existing; // AWS: "the operation succeeds but does nothing"
      throw new AwsError(
        'ResourceExistsException',
        "You can't modify an existing version, you can only create a new version.",
      );
    }
    const version = existing ?? { id: versionId, stages: new Set<string>(), createdAt: this.now() };
    version.value = value;
    secret.versions.set(versionId, version);
    for (const stage of stages) this.attach(secret, version, stage);
    secret.lastChangedAt = this.now();
    return version;
  }

  versionIdsToStages(secret: StoredSecret): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const v of secret.versions.values()) if (v.stages.size > 0) out[v.id] = [...v.stages];
    return out;
  }
}

function sameValue(a: NonNullable<SecretVersion['value']>, b: NonNullable<SecretVersion['value']>): boolean {
  if ('string' in a) return 'string' in b && a.string === b.string;
  return 'binary' in b && a.binary === b.binary;
}

function secretValueFrom(input: { SecretString?: string; SecretBinary?: string }): SecretVersion['value'] {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) {
    throw new AwsError(
      'InvalidParameterException',
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  if (input.SecretString !== undefined) return { string: input.SecretString };
  if (input.SecretBinary !== undefined) return { binary: input.SecretBinary };
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Operations.

type Operation = (body: unknown) => unknown;

function operations(model: SecretsModel, now: () => number): Record<string, Operation> {
  const seconds = (ms: number) => ms / 1000;

  return {
    GetSecretValue: (body) => {
      const input = parseRequest('GetSecretValue', body);
      const secret = model.get(input.SecretId);
      let version: SecretVersion | undefined;
      let missing: string;
      if (input.VersionId !== undefined) {
        version = secret.versions.get(input.VersionId);
        missing = `VersionId: ${input.VersionId}`;
        if (version !== undefined && input.VersionStage !== undefined && !version.stages.has(input.VersionStage)) {
          throw new AwsError(
            'InvalidRequestException',
            'You provided a VersionStage that is not associated to the provided VersionId.',
          );
        }
        if (input.VersionStage !== undefined) missing = `staging label: ${input.VersionStage}`;
      } else {
        const stage = input.VersionStage ?? AWSCURRENT;
        version = model.holderOf(secret, stage);
        missing = `staging label: ${stage}`;
      }
      // A version with no value (the AWSPENDING version before createSecret) answers as if it were not there.
      if (version?.value === undefined) {
        throw new AwsError(
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret value for ${missing}`,
        );
      }
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.id,
        ...('string' in version.value
          ? { SecretString: version.value.string }
          : { SecretBinary: version.value.binary }),
        VersionStages: [...version.stages],
        CreatedDate: seconds(version.createdAt),
      };
    },

    PutSecretValue: (body) => {
      const input = parseRequest('PutSecretValue', body);
      const secret = model.get(input.SecretId);
      const value = secretValueFrom(input);
      if (value === undefined) {
        throw new AwsError('InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
      }
      // Without VersionStages AWS moves AWSCURRENT to the new version
      // (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html).
      const stages = input.VersionStages ?? [AWSCURRENT];
      const version = model.putValue(secret, input.ClientRequestToken ?? randomUUID(), value, stages);
      return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: [...version.stages] };
    },

    DescribeSecret: (body) => {
      const input = parseRequest('DescribeSecret', body);
      const secret = model.get(input.SecretId);
      return {
        ARN: secret.arn,
        Name: secret.name,
        RotationEnabled: secret.rotationEnabled,
        CreatedDate: seconds(secret.createdAt),
        LastChangedDate: seconds(secret.lastChangedAt),
        ...(secret.versions.size > 0 && { VersionIdsToStages: model.versionIdsToStages(secret) }),
      };
    },

    UpdateSecretVersionStage: (body) => {
      const input = parseRequest('UpdateSecretVersionStage', body);
      const secret = model.get(input.SecretId);
      const stage = input.VersionStage;
      const versionOf = (id: string) => {
        const v = secret.versions.get(id);
        if (v === undefined) throw new AwsError('InvalidParameterException', `Not a valid version: ${id}`);
        return v;
      };
      const from = input.RemoveFromVersionId === undefined ? undefined : versionOf(input.RemoveFromVersionId);
      const to = input.MoveToVersionId === undefined ? undefined : versionOf(input.MoveToVersionId);
      if (from === undefined && to === undefined) {
        throw new AwsError('InvalidParameterException', 'You must specify MoveToVersionId or RemoveFromVersionId.');
      }
      if (from !== undefined && !from.stages.has(stage)) {
        throw new AwsError(
          'InvalidParameterException',
          `Staging label ${stage} is not attached to version ${from.id}.`,
        );
      }
      const holder = model.holderOf(secret, stage);
      if (to !== undefined && holder !== undefined && holder !== to && holder !== from) {
        // AWS will not take a label from a version the caller did not name: it protects against racing rotations.
        throw new AwsError(
          'InvalidParameterException',
          `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ` +
            `${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`,
        );
      }
      if (to === undefined && stage === AWSCURRENT) {
        throw new AwsError(
          'InvalidParameterException',
          `You can't remove the staging label ${AWSCURRENT} from a version without moving it to another version.`,
        );
      }
      if (to !== undefined) model.attach(secret, to, stage);
      else if (from !== undefined) {
        from.stages.delete(stage);
        secret.lastChangedAt = now();
      }
      return { ARN: secret.arn, Name: secret.name };
    },

    GetRandomPassword: (body) => ({ RandomPassword: randomPassword(parseRequest('GetRandomPassword', body)) }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP.

async function readBody(req: IncomingMessage): Promise<string> {
  const body = await readBoundedBody(req, MAX_BODY_BYTES);
  if (body === undefined) throw new AwsError('ValidationException', 'Request body is too large.');
  return body.toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

export async function startSecretsManager(opts: SecretsManagerServerOptions = {}): Promise<LocalSecretsManager> {
  const now = opts.now ?? Date.now;
  const model = new SecretsModel(now);
  const ops = operations(model, now);
  const counts = new Map<string, number>();
  const faults = new Map<string, string[]>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = target.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : target;
    counts.set(op, (counts.get(op) ?? 0) + 1);
    try {
      const text = await readBody(req);
      const fault = faults.get(op)?.shift();
      if (fault !== undefined) {
        const status = fault === 'InternalServiceError' || fault === 'ServiceUnavailable' ? 500 : 400;
        throw new AwsError(fault, `Injected fault for ${op}.`, status);
      }
      // Own keys only: `secretsmanager.constructor` must not reach Object.prototype.
      const operation = req.method === 'POST' && Object.hasOwn(ops, op) ? ops[op] : undefined;
      if (operation === undefined) {
        throw new AwsError(
          'InvalidAction',
          'The action or operation requested is invalid. Verify that the action is typed correctly.',
        );
      }
      let body: unknown;
      try {
        body = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        throw new AwsError('SerializationException', 'The request body is not valid JSON.');
      }
      send(res, 200, operation(body));
    } catch (error) {
      if (error instanceof AwsError) send(res, error.status, { __type: error.type, message: error.message });
      // Anything else is our bug; its message could quote a request, so it is not echoed.
      else send(res, 500, { __type: 'InternalServiceError', message: 'The local Secrets Manager failed.' });
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  const host = opts.host ?? '127.0.0.1';
  const { port } = await listenOn(server, opts.port ?? 0, host);

  const secretNamed = (name: string): StoredSecret => {
    const secret = model.find(name);
    if (secret === undefined) throw new Error(`local Secrets Manager: no secret named ${name}`);
    return secret;
  };
  return {
    endpoint: `http://${host}:${port}`,
    close: closerOf(server),
    putSecret: (name, value) => {
      const secret = model.find(name) ?? model.create(name);
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      model.putValue(secret, randomUUID(), { string: text }, [AWSCURRENT]);
      return secret.arn;
    },
    beginRotation: (name) => {
      const secret = secretNamed(name);
      const pending = model.holderOf(secret, AWSPENDING);
      // RotateSecret refuses while AWSPENDING sits on a version other than AWSCURRENT: a rotation is still running.
      if (pending !== undefined && !pending.stages.has(AWSCURRENT)) {
        throw new Error(
          `local Secrets Manager: a previous rotation of ${name} isn't complete (AWSPENDING on ${pending.id})`,
        );
      }
      const versionId = randomUUID();
      secret.versions.set(versionId, { id: versionId, stages: new Set(), createdAt: now() });
      model.attach(secret, secret.versions.get(versionId)!, AWSPENDING);
      // RotateSecret turns rotation on; tests turn it off again with setRotationEnabled to exercise the guard.
      secret.rotationEnabled = true;
      return versionId;
    },
    setRotationEnabled: (name, enabled) => {
      secretNamed(name).rotationEnabled = enabled;
    },
    stages: (name) => model.versionIdsToStages(secretNamed(name)),
    current: (name) => {
      const secret = model.find(name);
      const value = secret === undefined ? undefined : model.holderOf(secret, AWSCURRENT)?.value;
      return value !== undefined && 'string' in value ? value.string : undefined;
    },
    requestCount: (op) =>
      op === undefined ? [...counts.values()].reduce((sum, n) => sum + n, 0) : (counts.get(op) ?? 0),
    failNext: (op, times = 1, errorName = 'InternalServiceError') => {
      const queue = faults.get(op) ?? [];
      for (let i = 0; i < times; i++) queue.push(errorName);
      faults.set(op, queue);
    },
  };
}
