/**
 * The ParticipantApi: the only surface between the renderer and the participant node.
 * Both transports (Electron IPC and the headless WebSocket) carry exactly these methods and events,
 * and both sides parse every payload with these schemas.
 */
import { z } from 'zod';

export const ExecutionProvider = z.object({
  name: z.string(),
  available: z.boolean(),
  reason: z.string(),
});

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  nodeVersion: z.string(),
  onnxRuntimeVersion: z.string(),
  executionProviders: z.array(ExecutionProvider),
  selectedExecutionProvider: z.string(),
});

const NoRequest = z.object({}).strict();

export const methods = {
  'app.info': { request: NoRequest, response: AppInfo },
} as const;

export const events = {} as const;

export type MethodName = keyof typeof methods;
export type EventName = keyof typeof events;
export type RequestOf<M extends MethodName> = z.input<(typeof methods)[M]['request']>;
export type ResponseOf<M extends MethodName> = z.output<(typeof methods)[M]['response']>;

/** What the participant implements and the renderer calls: one async function per method. */
export type ParticipantApi = { [M in MethodName]: (request: RequestOf<M>) => Promise<ResponseOf<M>> };

export const methodNames = Object.keys(methods) as MethodName[];

/** Every reply on either transport is an envelope, so a failure crosses the boundary as data. */
export const ApiError = z.object({
  code: z.enum(['bad_request', 'unknown_method', 'forbidden', 'failed']),
  message: z.string(),
});
export type ApiError = z.output<typeof ApiError>;
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export type ExecutionProvider = z.output<typeof ExecutionProvider>;
export type AppInfo = z.output<typeof AppInfo>;
