import { resolve } from 'node:path';
import { DEFAULT_API_URL } from '../../config';
import { secretsManagerClient } from '../../secrets/secrets-manager-client';
import {
  type CredentialsSource,
  credentialsFromFile,
  credentialsFromSecretsManager,
} from '../../voximplant/credentials';
import { usageError } from '../cli-error';
import { defineCommand } from '../command';
import { formatChecks } from '../doctor/check-result';
import { runDoctorChecks } from '../doctor/run-checks';
import { managementApiUrl } from '../http-call';

const help = `Usage: vox-admin-bridge doctor (--credentials <file> | --secret-id <id>) [--api-url <url>]

Checks a deployment's Voximplant set-up against the real API and says what to fix:
  - the credentials.json can be read (a file, or the Secrets Manager secret the functions use)
  - its private key signs tokens
  - GetAccountInfo succeeds with it (key, account and clock are right)
  - the key may call SetAdminUserInfo and GetAdminUsers (its access_entries)
  - this machine's clock agrees with the API's Date header
Only GetAccountInfo is called; nothing is changed.

Options:
  --credentials <file>  a credentials.json on disk (default: $VOXIMPLANT_CREDENTIALS_FILE)
  --secret-id <id>      a Secrets Manager secret id or ARN holding it, read with your AWS
                        credentials (the SDK's default chain: AWS_PROFILE, AWS_REGION, ...)
                        (default: $VOXIMPLANT_CREDENTIALS_SECRET_ID)
  --api-url <url>       the Management API base (default: $VOXIMPLANT_API_URL or
                        ${DEFAULT_API_URL})
  -h, --help            show this help

Exit status: 0 when every check passes, 1 otherwise.`;

export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: "check a deployment's Voximplant key, roles and clock against the API",
  help,
  options: {
    credentials: { type: 'string' },
    'secret-id': { type: 'string' },
    'api-url': { type: 'string' },
  },
  positionals: [],
  async run({ values }, io) {
    if (values.credentials !== undefined && values['secret-id'] !== undefined) {
      throw usageError('give --credentials or --secret-id, not both');
    }
    const apiUrl = managementApiUrl(values['api-url'], io.env);
    const secretId =
      values['secret-id'] ?? (values.credentials === undefined ? io.env.VOXIMPLANT_CREDENTIALS_SECRET_ID : undefined);
    const file = values.credentials ?? (secretId === undefined ? io.env.VOXIMPLANT_CREDENTIALS_FILE : undefined);

    let credentials: CredentialsSource;
    let sourceLabel: string;
    if (secretId !== undefined && secretId !== '') {
      credentials = credentialsFromSecretsManager(secretsManagerClient(), secretId);
      sourceLabel = `the secret ${secretId}`;
    } else if (file !== undefined && file !== '') {
      credentials = credentialsFromFile(resolve(io.cwd, file));
      sourceLabel = `the file ${file}`;
    } else {
      throw usageError('give --credentials <file> or --secret-id <id> (see: vox-admin-bridge doctor --help)');
    }

    const checks = await runDoctorChecks({ apiUrl, sourceLabel, credentials, fetch: io.fetch });
    io.out(formatChecks(`vox-admin-bridge doctor: ${apiUrl}`, checks));
    return checks.some((c) => c.status === 'fail') ? 1 : 0;
  },
});
