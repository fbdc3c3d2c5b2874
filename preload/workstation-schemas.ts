/**
 * Schemas for the workstation side of the contract: previewing a data file before it is registered,
 * exporting the audit log, and the workstation's settings. Part of the contract (re-exported by contract.ts).
 */
import { z } from 'zod';
import { DatasetFormat } from './participant-schemas.ts';

export const DatasetPreviewRequest = z
  .object({ path: z.string().min(1), format: DatasetFormat, limit: z.number().int().min(1).max(50).optional() })
  .strict();

/** One problem found while reading a file: where (line or Parquet row), which field, what. */
export const FileIssue = z.object({
  file: z.string(),
  line: z.number().int().nullable(),
  field: z.string().nullable(),
  message: z.string(),
});

export const DatasetPreview = z.object({
  path: z.string(),
  format: DatasetFormat,
  sizeBytes: z.number().int().nonnegative(),
  columns: z.array(z.string()),
  /** The first rows, every value as text (what a person sees in a table). */
  rows: z.array(z.record(z.string(), z.string())),
  issues: z.array(FileIssue),
});

/** The file a person picked in the desktop app's file dialog (null when the dialog was cancelled). */
export const PickedFile = z.object({ path: z.string().nullable() });

export const AuditExportRequest = z.object({ format: z.enum(['json', 'html']) }).strict();
export const AuditExportFile = z.object({ fileName: z.string(), mediaType: z.string(), content: z.string() });

export const ComputeDevice = z.enum(['auto', 'cpu', 'cuda', 'dml', 'coreml']);
export const WorkstationSettings = z.object({
  /** Which execution provider trains: 'auto' picks the first available one (CPU as the fallback). */
  computeDevice: ComputeDevice,
  /** Start Accord when the user logs in (desktop only), for unattended participation. */
  startAtLogin: z.boolean(),
  /** Keep a copy of every payload sent, for an auditor to inspect by its sha256. */
  retainPayloads: z.boolean(),
  /**
   * Folders, besides the user's home folder, that datasets may be previewed and registered from (absolute
   * paths); a file picked in the file dialog adds its folder.
   */
  datasetFolders: z.array(z.string().min(1)).max(100),
});
export const WorkstationSettingsUpdate = WorkstationSettings.partial().strict();

/** What the machine's managed policy (set by the institution's IT) fixes: the renderer shows these locked. */
export const ManagedSettings = z.object({
  /** The policy file, named in every refusal; null when IT has deployed none. */
  policyFile: z.string().nullable(),
  /** The workstation settings a person cannot change. */
  locked: z.array(WorkstationSettings.keyof()),
  /** Limits every federation's consent policy stays within; null when the policy sets none. */
  consent: z
    .object({
      automaticApproval: z.boolean(),
      maxEpsilonRound: z.number().optional(),
      maxUpdateNorm: z.number().optional(),
    })
    .nullable(),
  maxEpsilonBudget: z.number().nullable(),
  presetFederations: z.array(z.object({ name: z.string(), coordinator: z.string() })),
  onlyPresetFederations: z.boolean(),
  updateChannel: z.enum(['stable', 'beta', 'off']).nullable(),
});

export type DatasetPreview = z.output<typeof DatasetPreview>;
export type FileIssue = z.output<typeof FileIssue>;
export type WorkstationSettings = z.output<typeof WorkstationSettings>;
export type ManagedSettings = z.output<typeof ManagedSettings>;
export type AuditExportFile = z.output<typeof AuditExportFile>;
