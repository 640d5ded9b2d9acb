import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiGatewayEvent } from '../../../tooling/local/api-gateway-event';
import { createSimulator, type Simulator } from '../../../tooling/sim/simulator';
import { useStateTable } from '../../support/dynamo';
import { invokeBundleInFreshProcess } from '../../support/invoke-bundle';
import { useSecretsManager } from '../../support/secrets-manager';
import { oktaCreate, patchOp } from './idp-bodies';

const TOKEN = 'bundle-scim-token-7d1e0c55aa';
const PASSWORD = 'Bundle-Okta-Pw-6612';

/** An HTTP API payload v2 event, as API Gateway hands `ANY /scim/v2/{proxy+}` to the function. */
function scimEvent(
  method: string,
  rawPath: string,
  body?: unknown,
  rawQueryString = '',
  token = TOKEN,
): APIGatewayProxyEventV2 {
  return apiGatewayEvent({
    method,
    path: rawPath,
    rawQueryString,
    routeKey: 'ANY /scim/v2/{proxy+}',
    headers: {
      host: 'abc123.execute-api.eu-west-1.amazonaws.com',
      'x-forwarded-proto': 'https',
      'user-agent': 'Okta SCIM Client 1.0.0',
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'content-type': 'application/scim+json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    apiId: 'abc123',
    sourceIp: '203.0.113.7',
  });
}

/**
 * The built bundle (dist/scim/index.mjs), each run in a fresh process as a cold Lambda container, against the local
 * Secrets Manager (token and credentials secrets), DynamoDB Local and the simulator: the composition root, the
 * configuration and the secrets as deployed. Needs the build: `npm test` builds first.
 */
describe('the scim bundle in fresh processes', () => {
  const table = useStateTable();
  const secrets = useSecretsManager();
  let sim: Simulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    sim = await createSimulator({ seed: 'empty' });
    const { apiUrl } = await sim.listen(0);
    secrets.server.putSecret('scim-token', { tokens: [TOKEN] });
    secrets.server.putSecret('voximplant-credentials', sim.credentials());
    env = {
      VOXIMPLANT_API_URL: apiUrl,
      VOXIMPLANT_CREDENTIALS_SECRET_ID: 'voximplant-credentials',
      SCIM_TOKEN_SECRET_ID: 'scim-token',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
      STATE_TABLE: table.tableName,
      PROTECTED_ADMIN_USERS: 'owner',
      SCIM_DEFAULT_ROLE_NAME: 'Support',
      LOG_LEVEL: 'debug',
    };
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('creates, finds and deactivates a user across cold containers; no output holds the token or the password', async () => {
    const first = await invokeBundleInFreshProcess<APIGatewayProxyStructuredResultV2>(
      'scim',
      [scimEvent('POST', '/scim/v2/Users', oktaCreate('bundle@okta.example', PASSWORD))],
      env,
    );
    expect(first.result, first.stderr).toBeDefined();
    const [created] = first.result ?? [];
    expect(created?.statusCode, created?.body).toBe(201);
    expect(created?.headers?.['content-type']).toBe('application/scim+json');
    const id = String(JSON.parse(created?.body ?? '{}').id);
    expect(created?.headers?.location).toBe(`https://abc123.execute-api.eu-west-1.amazonaws.com/scim/v2/Users/${id}`);

    const second = await invokeBundleInFreshProcess<APIGatewayProxyStructuredResultV2>(
      'scim',
      [
        scimEvent(
          'GET',
          '/scim/v2/Users',
          undefined,
          'filter=userName+eq+%22BUNDLE%40okta.example%22&startIndex=1&count=100',
        ),
        scimEvent('PATCH', `/scim/v2/Users/${id}`, patchOp({ op: 'replace', value: { active: false } })),
        scimEvent('GET', `/scim/v2/Users/${id}`),
        scimEvent('GET', '/scim/v2/Users', undefined, '', 'wrong-token'),
      ],
      env,
    );
    const [found, patched, read, refused] = second.result ?? [];
    expect(found?.statusCode, second.stderr).toBe(200);
    expect(JSON.parse(found?.body ?? '{}')).toMatchObject({ totalResults: 1, Resources: [{ id }] });
    expect(patched?.statusCode).toBe(204);
    expect(JSON.parse(read?.body ?? '{}')).toMatchObject({ id, active: false, userName: 'bundle@okta.example' });
    expect(refused?.statusCode).toBe(401);

    expect(
      sim
        .calls()
        .filter((c) => c.method === 'AddAdminUser')
        .map((c) => c.params.admin_role_name),
    ).toEqual(['Support']);
    expect(
      sim
        .calls()
        .filter((c) => c.method === 'SetAdminUserInfo')
        .map((c) => c.params),
    ).toEqual([{ required_admin_user_id: id, admin_user_active: 'false' }]);
    const output = [first.stdout, first.stderr, second.stdout, second.stderr].join('\n');
    expect(output).toContain('"message":"audit"');
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toContain(sim.credentials().private_key.slice(40, 80));
  });
});
