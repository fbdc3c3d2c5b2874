/**
 * Parses a request with the contract's schema, calls the handler, and wraps the outcome in an
 * envelope. Every transport goes through here, so validation cannot be forgotten on one of them.
 */
import { z } from 'zod';
import { methods, type Envelope, type MethodName, type ParticipantApi } from '../../../preload/contract.ts';

function isMethodName(method: string): method is MethodName {
  return Object.hasOwn(methods, method);
}

export async function dispatch(api: ParticipantApi, method: string, payload: unknown): Promise<Envelope<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'unknown_method', message: `unknown method "${method}"` } };
  }
  const schema = methods[method];
  const parsed = schema.request.safeParse(payload ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'bad_request', message: `${method}: ${z.prettifyError(parsed.error)}` } };
  }
  try {
    const handler = api[method] as (request: unknown) => Promise<unknown>;
    const value: unknown = schema.response.parse(await handler(parsed.data));
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } };
  }
}
