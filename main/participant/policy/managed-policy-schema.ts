/**
 * The machine-wide policy file that an institution's IT deploys (docs/it-deployment.md): what a person on this
 * workstation may not change. Every object is strict, so a misspelt field is an error rather than a rule that
 * silently does not apply.
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';

const absolutePath = z.string().min(1).refine(isAbsolute, { message: 'must be an absolute path' });
const positive = z.number().positive().finite();

/** A federation IT has set up: the coordinator, its CA, and (for mutual TLS) this site's client certificate. */
export const PresetFederation = z
  .object({
    name: z.string().min(1).max(200),
    coordinator: z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, { message: 'must be HOST:PORT' })
      .describe('the coordinator address'),
    caFile: absolutePath,
    clientCertificate: z.object({ certFile: absolutePath, keyFile: absolutePath }).strict().optional(),
  })
  .strict();

/** Limits no federation's consent policy on this machine may loosen. */
export const ManagedConsent = z
  .object({
    /** false: every contribution waits for a person; no federation may be set to approve automatically. */
    automaticApproval: z.boolean().default(true),
    maxEpsilonRound: positive.optional(),
    maxUpdateNorm: positive.optional(),
    hours: z
      .object({ from: z.number().int().min(0).max(24), to: z.number().int().min(0).max(24) })
      .strict()
      .optional(),
  })
  .strict();

export const ManagedWorkstation = z
  .object({
    computeDevice: z.enum(['auto', 'cpu', 'cuda', 'dml', 'coreml']).optional(),
    startAtLogin: z.boolean().optional(),
    retainPayloads: z.boolean().optional(),
  })
  .strict();

/** The institution's HTTPS proxy for the coordinator connection (an http:// proxy that allows CONNECT). */
export const ManagedProxy = z
  .object({
    url: z
      .string()
      .url()
      .refine((url) => new URL(url).protocol === 'http:', { message: 'must be an http:// proxy URL (CONNECT)' }),
    /** Hosts, domain suffixes or IPv4 CIDR blocks reached directly. */
    noProxy: z.array(z.string().min(1)).max(100).optional(),
  })
  .strict();

export const ManagedPolicyRules = z
  .object({
    federations: z.array(PresetFederation).max(100).default([]),
    /** true: enrolment only with a preset federation's coordinator. */
    onlyPresetFederations: z.boolean().default(false),
    consent: ManagedConsent.optional(),
    /** The largest ε budget a person may give a dataset; a larger one already stored counts as this. */
    maxEpsilonBudget: positive.optional(),
    /** The only folders datasets may come from (replaces the home folder and the person's own list). */
    datasetFolders: z.array(absolutePath).min(1).max(100).optional(),
    workstation: ManagedWorkstation.optional(),
    updates: z
      .object({ channel: z.enum(['stable', 'beta', 'off']) })
      .strict()
      .optional(),
    proxy: ManagedProxy.optional(),
    /** Accord sends no telemetry; the field lets IT state so, and anything but false is refused. */
    telemetry: z.literal(false).optional(),
  })
  .strict();

export type PresetFederation = z.output<typeof PresetFederation>;
export type ManagedConsent = z.output<typeof ManagedConsent>;
export type ManagedProxy = z.output<typeof ManagedProxy>;
export type ManagedPolicyRules = z.output<typeof ManagedPolicyRules>;

/** The rules and the file they came from, which every refusal names. */
export interface ManagedPolicy extends ManagedPolicyRules {
  readonly file: string;
}
