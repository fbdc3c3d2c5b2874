/**
 * The ParticipantApi: the only surface between the renderer and the participant node.
 * Both transports (Electron IPC and the headless WebSocket) carry exactly these methods and events,
 * and both sides parse every payload with these schemas.
 */
import { z } from 'zod';
import {
  ApprovalsWaitingEvent,
  AuditEntriesRequest,
  AuditEntry,
  AuditVerification,
  BudgetSetting,
  BudgetStatus,
  ConsentPolicy,
  Contribution,
  Dataset,
  DatasetRegistration,
  Projection,
  ProjectionRequest,
  RoundStateEvent,
  RoundSummary,
  TrainingProgressEvent,
} from './participant-schemas.ts';
import {
  AuditExportFile,
  AuditExportRequest,
  DatasetPreview,
  DatasetPreviewRequest,
  ManagedSettings,
  PickedFile,
  WorkstationSettings,
  WorkstationSettingsUpdate,
} from './workstation-schemas.ts';
import { EnrolmentRequest, Federation, TrainingCancelRequest } from './federation-schemas.ts';

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
const ById = z.object({ id: z.string().min(1) }).strict();
const Decision = z.object({ id: z.string().min(1), comment: z.string().max(2000).optional() }).strict();
const Done = z.object({ ok: z.literal(true) });

export const methods = {
  'app.info': { request: NoRequest, response: AppInfo },
  'datasets.list': { request: NoRequest, response: z.array(Dataset) },
  'datasets.preview': { request: DatasetPreviewRequest, response: DatasetPreview },
  /** Desktop only: the native file dialog; the picked file's folder becomes an allowed dataset folder. */
  'datasets.pick': { request: NoRequest, response: PickedFile },
  'datasets.add': { request: DatasetRegistration, response: Dataset },
  'datasets.remove': { request: ById, response: Done },
  'datasets.reconfirm': { request: ById, response: Dataset },
  'budget.set': { request: BudgetSetting, response: BudgetStatus },
  'budget.show': { request: z.object({ datasetId: z.string().min(1) }).strict(), response: BudgetStatus },
  'budget.project': { request: ProjectionRequest, response: Projection },
  'consent.policy.get': { request: z.object({ federationId: z.string().min(1) }).strict(), response: ConsentPolicy },
  'consent.policy.set': {
    request: z.object({ federationId: z.string().min(1), policy: ConsentPolicy }).strict(),
    response: ConsentPolicy,
  },
  'approvals.pending': { request: NoRequest, response: z.array(Contribution) },
  'approvals.approve': { request: Decision, response: Contribution },
  'approvals.decline': { request: Decision, response: Contribution },
  'rounds.list': { request: NoRequest, response: z.array(RoundSummary) },
  'audit.verify': { request: NoRequest, response: AuditVerification },
  'audit.entries': { request: AuditEntriesRequest, response: z.array(AuditEntry) },
  'audit.export': { request: AuditExportRequest, response: AuditExportFile },
  'settings.get': { request: NoRequest, response: WorkstationSettings },
  'settings.set': { request: WorkstationSettingsUpdate, response: WorkstationSettings },
  'settings.managed': { request: NoRequest, response: ManagedSettings },
  'federation.enrol': { request: EnrolmentRequest, response: Federation },
  'federations.list': { request: NoRequest, response: z.array(Federation) },
  'training.cancel': { request: TrainingCancelRequest, response: Done },
} as const;

/** Pushed by the participant: Electron sends them to the window, the headless socket as {event, data} frames. */
export const events = {
  'round.state': RoundStateEvent,
  'training.progress': TrainingProgressEvent,
  'approvals.waiting': ApprovalsWaitingEvent,
  'federation.state': Federation,
} as const;

export type MethodName = keyof typeof methods;
export type EventName = keyof typeof events;
export type EventOf<E extends EventName> = z.output<(typeof events)[E]>;
export const eventNames = Object.keys(events) as EventName[];
/** A server-pushed frame on the headless socket (replies carry an id; events never do). */
export type EventFrame = { [E in EventName]: { event: E; data: EventOf<E> } }[EventName];
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

export * from './participant-schemas.ts';
export * from './workstation-schemas.ts';
export * from './federation-schemas.ts';
