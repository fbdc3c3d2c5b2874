/**
 * One round end to end, over any transport: the server's requests go out stage by stage and the
 * answers that come back before each stage closes are handed to the server. The federation's gRPC
 * transport implements SecAggTransport; tests and benchmarks use InProcessTransport.
 */
import type { SecAggStage } from './errors.ts';
import type { SecAggRequest, SecAggResponse } from './messages.ts';
import type { SecAggServer } from './server.ts';
import type { SecAggResult } from './server-unmask.ts';

/** What a round needs from whatever carries it. */
export interface SecAggTransport {
  /** Delivers each request to its addressee; returns the answers that arrived before the stage closed. */
  exchange(stage: SecAggStage, requests: readonly SecAggRequest[]): Promise<SecAggResponse[]>;
}

/** Runs the four stages of one round over a transport and returns the server's result. */
export async function runSecAggRound(server: SecAggServer, transport: SecAggTransport): Promise<SecAggResult> {
  const deliver = async (stage: SecAggStage, requests: readonly SecAggRequest[]): Promise<void> => {
    for (const answer of await transport.exchange(stage, requests)) server.receive(answer);
  };
  await deliver('advertise-keys', server.advertiseKeysRequests());
  await deliver('share-keys', server.shareKeysRequests());
  await deliver('masked-input', server.maskedInputRequests());
  await deliver('unmask', server.unmaskRequests());
  return server.finish();
}
