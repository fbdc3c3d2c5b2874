/**
 * The participant's gRPC client for accord.v1: version negotiation, enrolment, and the FederationLink
 * (long-poll, verified resumable download, resumable idempotent upload with a verified receipt, decline).
 * The identity is an Ed25519 key pair handed in by the keychain (a KeyObject or PKCS#8 PEM).
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readSafetensorsFile } from '../../../engine/codec/safetensors.ts';
import { protocolVersion, defaultChunkBytes } from '../../../protocol/federation-methods.ts';
import type { FederationMethodName, RequestOf, ResponseOf } from '../../../protocol/federation-methods.ts';
import { ed25519PublicKeyFromRaw, ed25519PublicKeyToRaw } from '../../../protocol/request-signature.ts';
import type { ParameterSet } from '../../../engine/tensor/parameter-set.ts';
import { memorySource } from './byte-source.ts';
import type { ByteSource } from './byte-source.ts';
import { checkUpdate, declineReasonToProto, roundTaskFromProto } from './federation-serde.ts';
import type { UploadReceipt } from '../../../protocol/receipt.ts';
import type { DeclineReason, FederationLink, RoundTask, UploadMetadata } from './federation-link.ts';
import { GrpcTransport } from './grpc-transport.ts';
import type { Signer, TransportOptions } from './grpc-transport.ts';
import { downloadModelToFile } from './model-download.ts';
import { listOwnReceipts } from './receipt-list.ts';
import { uploadUpdate } from './update-upload.ts';
import type { UploadJournal } from './upload-journal.ts';

export interface GrpcFederationLinkOptions extends TransportOptions {
  readonly privateKey: KeyObject | string;
  /** Known once enrolled. */
  readonly participantId?: string;
  readonly journal: UploadJournal;
  /** Where downloaded models are kept (partial downloads resume from here). */
  readonly modelDir: string;
  readonly pollWaitSeconds?: number;
  readonly uploadChunkBytes?: number;
  readonly onUploadChunk?: (confirmedBytes: number, totalBytes: number) => void | Promise<void>;
}

export class GrpcFederationLink implements FederationLink {
  readonly transport: GrpcTransport;
  readonly #options: GrpcFederationLinkOptions;
  readonly #privateKey: KeyObject;
  #participantId: string | undefined;
  #coordinatorKey: KeyObject | undefined;
  /** The coordinator's chunk size, learnt from Hello; uploads never exceed it. */
  #serverChunkBytes: number | undefined;

  constructor(options: GrpcFederationLinkOptions) {
    this.#options = options;
    this.#privateKey =
      typeof options.privateKey === 'string' ? createPrivateKey(options.privateKey) : options.privateKey;
    if (this.#privateKey.asymmetricKeyType !== 'ed25519')
      throw new Error('the participant identity must be an Ed25519 key');
    this.#participantId = options.participantId;
    this.transport = new GrpcTransport(options);
  }

  get participantId(): string | undefined {
    return this.#participantId;
  }

  close(): void {
    this.transport.close();
  }

  /** Version negotiation; remembers the coordinator's receipt-signing key. */
  async hello() {
    const response = await this.transport.call('hello', {
      supportedVersions: [protocolVersion],
      clientName: 'accord-participant',
      maxMessageBytes: 2 * defaultChunkBytes,
    });
    if (response.version !== protocolVersion)
      throw new Error(`the coordinator chose protocol ${response.version}, this participant speaks ${protocolVersion}`);
    this.#coordinatorKey = ed25519PublicKeyFromRaw(response.coordinatorPublicKey);
    this.#serverChunkBytes = response.chunkBytes;
    return response;
  }

  /** Enrols with an invitation token; returns the participant id to keep beside the key. */
  async enrol(invitationToken: string, displayName: string): Promise<string> {
    const publicKey = ed25519PublicKeyToRaw(createPublicKey(this.#privateKey));
    const response = await this.transport.call('enrol', { invitationToken, publicKey, displayName });
    this.#participantId = response.participantId;
    this.#coordinatorKey = ed25519PublicKeyFromRaw(response.coordinatorPublicKey);
    return response.participantId;
  }

  #signer(): Signer {
    if (!this.#participantId) throw new Error('this participant is not enrolled yet');
    return { participantId: this.#participantId, privateKey: this.#privateKey };
  }

  async #coordinatorPublicKey(): Promise<KeyObject> {
    if (!this.#coordinatorKey || this.#serverChunkBytes === undefined) await this.hello();
    return this.#coordinatorKey!;
  }

  async pollTask(signal?: AbortSignal): Promise<RoundTask | undefined> {
    const wait = this.#options.pollWaitSeconds ?? 30;
    const response = await this.transport.call('pollTask', { waitSeconds: wait }, this.#signer(), wait * 1000);
    if (signal?.aborted || response.task.case !== 'joinRound') return undefined;
    return roundTaskFromProto(response.task.value, this.#options.address);
  }

  downloadModelFile(
    task: RoundTask,
    onProgress?: (receivedBytes: number, totalBytes: number) => void,
  ): Promise<string> {
    const request = { roundId: task.roundId, sha256: task.modelSha256, modelDir: this.#options.modelDir, onProgress };
    return downloadModelToFile(this.transport, this.#signer(), request);
  }

  async downloadModel(
    task: RoundTask,
    onProgress?: (receivedBytes: number, totalBytes: number) => void,
  ): Promise<ParameterSet> {
    return readSafetensorsFile(await this.downloadModelFile(task, onProgress), task.modelSpec);
  }

  async uploadUpdate(
    task: RoundTask,
    uploadId: string,
    payload: Uint8Array,
    metadata: UploadMetadata,
  ): Promise<UploadReceipt> {
    // Checked here too, so a bad update fails before any byte leaves.
    // A masked input is uniform-looking words by design; the plaintext was checked before masking.
    if (!task.secureAggregation) checkUpdate(payload, task);
    return this.uploadFrom(task.roundId, uploadId, memorySource(payload), metadata);
  }

  async uploadFrom(
    roundId: string,
    uploadId: string,
    source: ByteSource,
    metadata: UploadMetadata,
  ): Promise<UploadReceipt> {
    const request = {
      roundId,
      uploadId,
      source,
      metadata,
      coordinatorPublicKey: await this.#coordinatorPublicKey(),
      chunkBytes: Math.min(
        this.#options.uploadChunkBytes ?? Infinity,
        this.#serverChunkBytes ?? Infinity,
        defaultChunkBytes,
      ),
      onChunk: this.#options.onUploadChunk,
    };
    return uploadUpdate(this.transport, this.#signer(), this.#options.journal, request);
  }

  /** This participant's receipts from every round, each verified with the coordinator's receipt key. */
  async listReceipts(): Promise<UploadReceipt[]> {
    return listOwnReceipts(this.transport, this.#signer(), await this.#coordinatorPublicKey());
  }

  async decline(task: RoundTask, reason: DeclineReason, detail: string): Promise<void> {
    await this.transport.call(
      'decline',
      { roundId: task.roundId, reason: declineReasonToProto(reason), detail },
      this.#signer(),
    );
  }

  /** A signed call of any accord.v1 method (the secure-aggregation stages use it). */
  callSigned<M extends FederationMethodName>(
    method: M,
    request: RequestOf<M>,
    extraTimeoutMs = 0,
  ): Promise<ResponseOf<M>> {
    return this.transport.call(method, request, this.#signer(), extraTimeoutMs);
  }

  async reportMetrics(task: RoundTask, metrics: Record<string, number>): Promise<void> {
    await this.transport.call('reportMetrics', { roundId: task.roundId, metrics }, this.#signer());
  }
}
