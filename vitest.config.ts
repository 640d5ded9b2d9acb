import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // `npm run test:unit` runs the first (seconds, no servers); `npm run test:integration` the second; `vitest run`
    // both. test/README.md says what each folder needs.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**', '**/node_modules/**'],
          // One DynamoDB Local (a JVM) for the whole run; each test takes its own table on it.
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
