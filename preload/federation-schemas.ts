/**
 * Schemas of the federations this participant belongs to, as they cross the contract: enrolment, the
 * connection to each coordinator, and where its rounds stand. Part of the contract (re-exported by contract.ts).
 */
import { z } from 'zod';
import { RoundStateName } from './participant-schemas.ts';

const Timestamp = z.string();

export const EnrolmentRequest = z
  .object({
    /** host:port of the coordinator (a grpcs:// or https:// prefix is accepted and ignored). */
    coordinatorUrl: z.string().min(1).max(500),
    /** The one-time token the coordinator's operator printed (`accord coordinator invite`). */
    invitation: z.string().min(8).max(500),
    /** The federation's CA certificate (data/certs/ca.pem on the coordinator). */
    caCertificatePem: z.string().includes('-----BEGIN CERTIFICATE-----', { message: 'a PEM certificate' }),
    /** How this institution is named to the coordinator; defaults to the host name. */
    displayName: z.string().min(1).max(200).optional(),
    /** For a coordinator that asks for mutual TLS: this site's client certificate and its private key (PEM). */
    clientCertificatePem: z
      .string()
      .max(64 * 1024)
      .includes('-----BEGIN CERTIFICATE-----', { message: 'a PEM certificate' })
      .optional(),
    clientKeyPem: z
      .string()
      .max(64 * 1024)
      .includes('PRIVATE KEY-----', { message: 'a PEM private key' })
      .optional(),
  })
  .strict()
  .refine((request) => (request.clientCertificatePem === undefined) === (request.clientKeyPem === undefined), {
    message: 'a client certificate and its private key go together',
    path: ['clientKeyPem'],
  });

/** The participant's link to one coordinator, as the participation loop last saw it. */
export const ConnectionState = z.discriminatedUnion('state', [
  z.object({ state: z.literal('connecting') }),
  z.object({ state: z.literal('connected'), since: Timestamp }),
  z.object({
    state: z.literal('retrying'),
    error: z.string(),
    attempt: z.number().int().positive(),
    nextAttemptAt: Timestamp,
  }),
  z.object({ state: z.literal('unreachable'), error: z.string(), since: Timestamp, nextAttemptAt: Timestamp }),
  z.object({ state: z.literal('stopped') }),
]);

export const FederationRound = z.object({
  roundKey: z.string(),
  roundId: z.string(),
  roundNumber: z.number().int(),
  state: RoundStateName,
  reason: z.string().nullable(),
  deadline: Timestamp,
  updatedAt: Timestamp,
});

export const Federation = z.object({
  id: z.string(),
  name: z.string(),
  /** host:port */
  coordinator: z.string(),
  participantId: z.string(),
  /** sha256 of this participant's public key (its private half is in the OS keychain). */
  publicKeySha256: z.string(),
  enrolledAt: Timestamp,
  connection: ConnectionState,
  /** The round in progress here (not finished), if any. */
  currentRound: FederationRound.nullable(),
  /** The most recent finished round (receipted, declined, expired or failed), if any. */
  lastRound: FederationRound.nullable(),
  /** The round the coordinator is expected to offer next; null while one is in progress. */
  nextRound: z.object({ roundNumber: z.number().int().positive() }).nullable(),
});

export const TrainingCancelRequest = z.object({ roundKey: z.string().min(1) }).strict();

export type EnrolmentRequest = z.output<typeof EnrolmentRequest>;
export type ConnectionState = z.output<typeof ConnectionState>;
export type FederationRound = z.output<typeof FederationRound>;
export type FederationView = z.output<typeof Federation>;
