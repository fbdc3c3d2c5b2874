/**
 * Exponential back-off with full jitter (delay drawn uniformly from [0, min(cap, base·2^attempt)]) for
 * faults a later attempt can cure: the coordinator unreachable or too slow.
 */
import { status } from '@grpc/grpc-js';

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 15_000 };

const retriable = new Set<number>([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]);

export function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && retriable.has((error as { code?: number }).code ?? -1);
}

export function backoffDelayMs(policy: RetryPolicy, attempt: number, random = Math.random): number {
  return random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
}

export async function withRetries<T>(
  policy: RetryPolicy,
  operation: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!isRetriable(error) || attempt + 1 >= policy.maxAttempts || signal?.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffDelayMs(policy, attempt)));
    }
  }
}
