import { loadConfig } from '../src/config';
import { createLogger } from '../src/observability/logger';
import { createMetrics } from '../src/observability/metrics';
import { rotationLambdaHandler } from '../src/rotation/rotation-handler';
import { powertoolsRotationMetrics } from '../src/rotation/rotation-metrics';
import { secretsManagerRotationStore } from '../src/rotation/secret-versions';
import { serviceKeyRotation } from '../src/rotation/service-key/service-key-rotation';
import { secretsManagerClient } from '../src/secrets/secrets-manager-client';
import { VoximplantClient } from '../src/voximplant/client';
import { credentialsFromValue } from '../src/voximplant/credentials';

/**
 * Secrets Manager rotation of the bridge's own Voximplant service-account key (docs/CONTRACT.md#rotation, docs/ROTATION.md):
 * the credentials.json secret named in the event. Each step signs with the version it reads (the current key, or
 * the pending one in testSecret), so nothing here depends on VOXIMPLANT_CREDENTIALS_SECRET_ID.
 */
const logger = createLogger('rotate-key');
const metrics = powertoolsRotationMetrics(createMetrics('rotate-key'));

export const handler = rotationLambdaHandler({
  logger,
  metrics,
  init: () => {
    const { VOXIMPLANT_API_URL: apiUrl } = loadConfig();
    return {
      store: secretsManagerRotationStore(secretsManagerClient()),
      steps: serviceKeyRotation({
        clientFor: (credentials) =>
          new VoximplantClient({ apiUrl, credentials: credentialsFromValue(credentials), logger }),
      }),
    };
  },
});
