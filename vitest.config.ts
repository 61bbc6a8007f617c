import { defineConfig } from 'vitest/config';

// One runner for the whole repo. Unit tests live beside the code; cross-package
// tests (real server, real sockets, real Chromium) live in test/.
// The "@canopy/source" export condition lets tests import workspace packages from src/.
export default defineConfig({
  resolve: { conditions: ['@canopy/source'] },
  ssr: { resolve: { conditions: ['@canopy/source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{shared,sync-server,models}/src/**/*.test.ts', 'client/src/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
