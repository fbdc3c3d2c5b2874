/**
 * Bounded waiting for tests: wait on a condition or an event, never on a fixed sleep. The bound is generous
 * (a loaded machine is slow, not wrong); when it runs out the test fails naming what did not happen.
 */
export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/** Resolves with the first truthy value of `check`; rejects with `what` if none came within the bound. */
export async function waitUntil<T>(
  check: () => T | Promise<T>,
  what: string,
  options: WaitOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error(`within ${timeoutMs} ms: ${what} did not happen`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10));
  }
}

/** Resolves when `promise` does; rejects with `what` if it did not settle within the bound. */
export async function within<T>(promise: Promise<T>, what: string, timeoutMs = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`within ${timeoutMs} ms: ${what} did not happen`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
