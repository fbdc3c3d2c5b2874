/** What every request handler of the coordinator reaches: config, store, keys, rounds and the log. */
import type { TestSetEvaluator } from '../evaluation/test-set-evaluator.ts';
import type { KeyObject } from 'node:crypto';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import type { AddressRateLimit } from './address-rate-limit.ts';
import type { KeyedQueue } from './keyed-queue.ts';
import type { ModelFiles } from './model-files.ts';
import type { RoundMachine } from '../rounds/round-machine.ts';
import type { SecureAggregationRounds } from '../secagg/secure-aggregation-rounds.ts';
import type { CoordinatorStore } from '../store/coordinator-store.ts';

export interface CoordinatorContext {
  readonly config: CoordinatorConfig;
  readonly store: CoordinatorStore;
  readonly federationId: string;
  /** Ed25519: signs receipts. */
  readonly signingKey: KeyObject;
  readonly publicKeyRaw: Uint8Array;
  readonly rounds: RoundMachine;
  readonly uploadsDir: string;
  readonly modelFiles: ModelFiles;
  /** Commits of one participant in one round run one at a time. */
  readonly uploadCommits: KeyedQueue;
  /** Enrol attempts per client address. */
  readonly enrolAttempts: AddressRateLimit;
  /** Present when the federation's config turns secure aggregation on. */
  readonly secureAggregation?: SecureAggregationRounds;
  /** Present when the config names a test set: scores each aggregated model. */
  readonly evaluator?: TestSetEvaluator;
}

/** A decoded request with the sha256 of its bytes as they arrived (what the participant signed). */
export interface IncomingRequest<T> {
  readonly message: T;
  readonly participantId: string;
  /** The client's IP address, as the connection shows it. */
  readonly clientAddress: string;
  /** Aborted when the caller cancels or its deadline passes. */
  readonly signal: AbortSignal;
}
