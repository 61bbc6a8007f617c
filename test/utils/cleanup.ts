// Teardown registration for test resources created by the factories in test/utils.
// Inside a test the cleanup runs when that test finishes; from a beforeAll hook (or at
// collection time) it runs after the file's tests. Cleanups run newest first.
import { afterAll, onTestFinished } from 'vitest';

type Cleanup = () => unknown;

const fileCleanups: Cleanup[] = [];

// Registered once per test file: vitest gives every file a fresh module graph.
afterAll(async () => {
  await runAll(fileCleanups.splice(0).reverse());
});

async function runAll(cleanups: Cleanup[]): Promise<void> {
  const errors: unknown[] = [];
  for (const fn of cleanups) {
    try {
      await fn();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, 'test cleanup failed');
}

export function registerCleanup(fn: Cleanup): void {
  try {
    onTestFinished(async () => {
      await fn();
    });
  } catch {
    // Not inside a running test (beforeAll, collection): clean up after the file.
    fileCleanups.push(fn);
  }
}
