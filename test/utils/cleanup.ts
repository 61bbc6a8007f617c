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

export interface CleanupOptions {
  /** 'file': run after the file's tests even when registered inside a test */
  scope?: 'test' | 'file';
}

export function registerCleanup(fn: Cleanup, options: CleanupOptions = {}): void {
  if (options.scope === 'file') {
    fileCleanups.push(fn);
    return;
  }
  try {
    onTestFinished(async () => {
      await fn();
    });
  } catch {
    // Not inside a running test (beforeAll, collection): clean up after the file.
    fileCleanups.push(fn);
  }
}
