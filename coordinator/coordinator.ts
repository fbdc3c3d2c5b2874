/**
 * A running coordinator: the store, the round machine and the accord.v1 gRPC server over TLS (mutual TLS
 * when configured). `start` resumes whatever round the store says is current.
 */
import * as grpc from '@grpc/grpc-js';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ed25519PublicKeyToRaw } from '../protocol/request-signature.ts';
import type { CoordinatorConfig } from './config/coordinator-config.ts';
import { assertTestSetExists, TestSetEvaluator } from './evaluation/test-set-evaluator.ts';
import { RoundLog } from './rounds/round-log.ts';
import { RoundMachine } from './rounds/round-machine.ts';
import type { CoordinatorContext } from './server/coordinator-context.ts';
import { federationHandlers } from './server/federation-handlers.ts';
import { federationService } from './server/grpc-server.ts';
import { grpcServerOptions, withTlsHandshakeTimeout } from './server/server-options.ts';
import { AddressRateLimit } from './server/address-rate-limit.ts';
import { KeyedQueue } from './server/keyed-queue.ts';
import { ModelFiles } from './server/model-files.ts';
import { federationPaths, initFederation, loadSigningKey } from './setup/federation-files.ts';
import { assertUsableWithSecureAggregation, createStrategy } from './strategies/create-strategy.ts';
import type { Strategy } from './strategies/strategy.ts';
import { CoordinatorStore } from './store/coordinator-store.ts';
import { assertSecureAggregationOptions, SecureAggregationRounds } from './secagg/secure-aggregation-rounds.ts';

export class Coordinator {
  readonly context: CoordinatorContext;
  readonly #server: grpc.Server;

  private constructor(context: CoordinatorContext) {
    this.context = context;
    this.#server = new grpc.Server(grpcServerOptions(context.config));
    const { definition, implementation } = federationService(context.store, federationHandlers(context));
    this.#server.addService(definition, implementation);
  }

  /** Opens the store and builds the configured strategy (or the one given, for tests). */
  static async open(
    config: CoordinatorConfig,
    strategy: Strategy = createStrategy(config.strategy),
  ): Promise<Coordinator> {
    assertUsableWithSecureAggregation(strategy, config.secureAggregation);
    if (config.secureAggregation) assertSecureAggregationOptions(config);
    if (config.evaluation?.testSet) assertTestSetExists(config.evaluation.testSet);
    const { federationId } = initFederation(config);
    const paths = federationPaths(config.dataDir);
    const store = new CoordinatorStore(paths.database);
    const signingKey = loadSigningKey(config.dataDir);
    const secure = config.secureAggregation ? new SecureAggregationRounds(config, store) : undefined;
    const log = new RoundLog(config.dataDir);
    const testSet = config.evaluation?.testSet;
    const evaluator = testSet ? new TestSetEvaluator(config, testSet, store, log) : undefined;
    const rounds = new RoundMachine({
      config,
      store,
      strategy,
      log,
      checkpointsDir: paths.checkpoints,
      secure,
      onAggregated: evaluator && ((round, checkpoint) => evaluator.aggregated(round, checkpoint)),
    });
    const publicKeyRaw = ed25519PublicKeyToRaw(createPublicKey(signingKey));
    return new Coordinator({
      config,
      store,
      federationId,
      signingKey,
      publicKeyRaw,
      rounds,
      uploadsDir: paths.uploads,
      modelFiles: new ModelFiles(),
      uploadCommits: new KeyedQueue(),
      enrolAttempts: new AddressRateLimit(config.transport.enrolBurst, config.transport.enrolRefillSeconds),
      secureAggregation: secure,
      evaluator,
    });
  }

  #credentials(): grpc.ServerCredentials {
    const paths = federationPaths(this.context.config.dataDir);
    const read = (path: string, what: string) => {
      try {
        return readFileSync(path);
      } catch (error) {
        throw new Error(`${what} ${path} is missing: run "accord coordinator certs" first`, { cause: error });
      }
    };
    const ca = read(paths.caCertificate, 'the CA certificate');
    const pair = {
      cert_chain: read(paths.serverCertificate, 'the server certificate'),
      private_key: read(paths.serverKey, 'the server key'),
    };
    const credentials = grpc.ServerCredentials.createSsl(ca, [pair], this.context.config.tls.mutual);
    return withTlsHandshakeTimeout(credentials, this.context.config.transport.tlsHandshakeSeconds);
  }

  /** Resumes rounds and listens; returns the bound port (useful with port 0). */
  async start(): Promise<number> {
    const credentials = this.#credentials();
    await this.context.rounds.start();
    const { host, port } = this.context.config.listen;
    return new Promise((resolve, reject) => {
      this.#server.bindAsync(`${host}:${port}`, credentials, (error, bound) =>
        error ? reject(error) : resolve(bound),
      );
    });
  }

  async stop(): Promise<void> {
    this.context.rounds.stop();
    await new Promise<void>((resolve) => this.#server.tryShutdown(() => resolve()));
    await this.context.rounds.idle();
    await this.context.evaluator?.idle();
    await this.context.modelFiles.closeAll();
    this.context.store.close();
  }
}
