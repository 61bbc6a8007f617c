// Waiting without fixed sleeps: poll a predicate (cheaply, on a short interval) until it
// holds or a deadline passes; the error names what was awaited and the last value seen.

export interface WaitOptions {
  /** ms before giving up (default 10 s) */
  timeout?: number;
  /** poll interval in ms (default 10) */
  interval?: number;
  /** shown in the timeout error */
  message?: string;
}

/** Resolves with the predicate's first truthy result. */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  options: WaitOptions = {},
): Promise<NonNullable<T>> {
  const { timeout = 10_000, interval = 10, message = 'condition' } = options;
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeout} ms waiting for ${message} (last: ${describe(last)})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Rejects with `message` if `promise` does not settle within `timeout` ms. */
export async function withTimeout<T>(
  promise: Promise<T>,
  timeout: number,
  message: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${timeout} ms: ${message}`)),
          timeout,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
