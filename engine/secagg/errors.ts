/** The three ways a secure-aggregation round can fail, each naming what went wrong. */

export type SecAggStage = 'advertise-keys' | 'share-keys' | 'masked-input' | 'unmask';

/** Too few participants survive to reconstruct a secret: the round cannot complete and must be abandoned. */
export class SecAggAbortError extends Error {
  readonly stage: SecAggStage;
  /** The participant whose neighbourhood fell below the threshold, when one is to blame. */
  readonly participantId: string | undefined;
  readonly survivors: number;
  readonly threshold: number;

  constructor(stage: SecAggStage, detail: string, survivors: number, threshold: number, participantId?: string) {
    super(`secure aggregation aborted at ${stage}: ${detail} (${survivors} surviving, threshold ${threshold})`);
    this.name = 'SecAggAbortError';
    this.stage = stage;
    this.participantId = participantId;
    this.survivors = survivors;
    this.threshold = threshold;
  }
}

/** A participant refuses a request that would break its privacy (e.g. both shares of one peer). */
export class SecAggRefusalError extends Error {
  readonly peerId: string | undefined;

  constructor(message: string, peerId?: string) {
    super(message);
    this.name = 'SecAggRefusalError';
    this.peerId = peerId;
  }
}

/** A message that does not fit the protocol: wrong stage, wrong sender, wrong size, bad encoding. */
export class SecAggProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecAggProtocolError';
  }
}
