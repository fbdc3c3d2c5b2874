/**
 * `accord participant serve`: the participant's UI and API on 127.0.0.1, for servers. It opens the real node:
 * enrolled federations are polled, rounds trained in a worker thread and contributions await the UI.
 */
import { createParticipantApi } from '../../main/participant/api/participant-api.ts';
import { Participation } from '../../main/participant/participation/participation.ts';
import { openParticipantNode } from '../../main/participant/participant-node.ts';
import { engineLocalTrainerFor } from '../../main/participant/training/engine-local-trainer.ts';
import { startHeadlessServer } from '../../main/headless/server.ts';
import { parseCommandLine } from '../command-line/parse-command-line.ts';
import { UsageError } from '../command-line/usage-error.ts';

export async function runParticipantServe(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, { port: { type: 'string', default: '0' } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0..65535, got ${values.port}`);
  const node = openParticipantNode();
  let participation: Participation;
  try {
    participation = await Participation.start(node, { trainer: engineLocalTrainerFor(node.database.db) });
  } catch (error) {
    node.close();
    throw error;
  }
  const api = createParticipantApi(node, participation);
  const onBadFrame = (error: Error) => node.log.warn('refused a WebSocket frame', { reason: error.message });
  const server = await startHeadlessServer({ api, events: node.events, port, onBadFrame });
  process.stdout.write(`Accord participant UI: ${server.url}\n(Press Ctrl+C to stop.)\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void Promise.all([server.close(), participation.close()]).finally(() => {
      node.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
