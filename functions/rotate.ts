import { loadConfig } from '../src/config';
import { createLogger } from '../src/observability/logger';
import { createMetrics } from '../src/observability/metrics';
import { adminPasswordRotation } from '../src/rotation/admin-password/admin-password-rotation';
import { loadRotationConfig } from '../src/rotation/rotation-config';
import { rotationLambdaHandler } from '../src/rotation/rotation-handler';
import { powertoolsRotationMetrics } from '../src/rotation/rotation-metrics';
import { secretsManagerRotationStore } from '../src/rotation/secret-versions';
import { secretsManagerClient } from '../src/secrets/secrets-manager-client';
import { adminPasswordLogin } from '../src/voximplant/admin-password-login';
import { VoximplantClient } from '../src/voximplant/client';
import { credentialsFromConfig } from '../src/voximplant/credentials';

/**
 * Secrets Manager rotation of an admin user's password (docs/CONTRACT.md#rotation, docs/ROTATION.md). The secret is the one
 * named in the event; the password is changed with the bridge's own key (VOXIMPLANT_CREDENTIALS_SECRET_ID).
 */
const logger = createLogger('rotate');
const metrics = powertoolsRotationMetrics(createMetrics('rotate'));

export const handler = rotationLambdaHandler({
  logger,
  metrics,
  init: () => {
    const config = loadConfig();
    const { ROTATION_PASSWORD_CHECK } = loadRotationConfig();
    const credentials = credentialsFromConfig(config);
    const apiUrl = config.VOXIMPLANT_API_URL;
    return {
      store: secretsManagerRotationStore(secretsManagerClient()),
      steps: adminPasswordRotation({
        voximplant: new VoximplantClient({ apiUrl, credentials, logger }),
        keyAccountId: async () => (await credentials.get()).account_id,
        login: (input, deadline) => adminPasswordLogin(input, { apiUrl, deadline }),
        passwordCheck: ROTATION_PASSWORD_CHECK,
      }),
    };
  },
});
