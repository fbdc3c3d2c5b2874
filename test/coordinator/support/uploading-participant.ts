/**
 * A participant process for fault tests: joins the current round, downloads the model and uploads a
 * deterministic update in small chunks, printing each acknowledged offset. With `holdAtBytes` it stops
 * sending once the coordinator holds that many bytes and prints "holding at <offset>", so a test can
 * kill it mid-upload without racing it, then start it again. Arguments: a JSON object (see
 * ChildOptions) as argv[2].
 */
import { dirname } from 'node:path';
import { encodeFloat32Update } from '../../../engine/codec/float32-update.ts';
import { pullTowards } from './deterministic-participant.ts';
import { participantLink } from './test-federation.ts';
import { parseCoordinatorConfig } from '../../../coordinator/config/coordinator-config.ts';

interface ChildOptions {
  readonly configPath: string;
  readonly rawConfig: unknown;
  readonly address: string;
  readonly name: string;
  readonly privateKeyPem: string;
  readonly participantId: string;
  readonly target: number;
  readonly examples: number;
  readonly holdAtBytes?: number;
}

/** Never resolves; the timer keeps the process alive until it is killed. */
function holdUntilKilled(): Promise<never> {
  return new Promise(() => setInterval(() => undefined, 60_000));
}

const options = JSON.parse(process.argv[2]!) as ChildOptions;
const config = parseCoordinatorConfig(options.rawConfig, dirname(options.configPath));
const link = participantLink(config, options.address, {
  name: options.name,
  privateKeyPem: options.privateKeyPem,
  participantId: options.participantId,
  uploadChunkBytes: 1024,
  onUploadChunk: async (confirmed) => {
    console.log(`confirmed ${confirmed}`);
    if (options.holdAtBytes !== undefined && confirmed >= options.holdAtBytes) {
      console.log(`holding at ${confirmed}`);
      await holdUntilKilled();
    }
  },
});
let task = await link.pollTask();
while (!task) task = await link.pollTask();
const global = await link.downloadModel(task);
const payload = encodeFloat32Update(pullTowards(global, options.target), task.modelSpec);
const receipt = await link.uploadUpdate(task, `${options.name}-${task.roundId}`, payload, {
  numExamples: options.examples,
  metrics: {},
});
console.log(`receipt ${JSON.stringify(receipt)}`);
link.close();
