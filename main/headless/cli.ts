/** `accord participant serve`: the participant's UI and API on 127.0.0.1, for servers. */
import { parseArgs } from 'node:util';
import { createParticipantApi } from '../participant/api/participant-api.ts';
import { openParticipantNode } from '../participant/participant-node.ts';
import { startHeadlessServer } from './server.ts';

export async function runParticipantServe(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string', default: '0' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0..65535, got ${values.port}`);
  const node = openParticipantNode();
  const server = await startHeadlessServer({ api: createParticipantApi(node), events: node.events, port });
  process.stdout.write(`Accord participant UI: ${server.url}\n(Press Ctrl+C to stop.)\n`);
  const stop = () =>
    void server.close().then(() => {
      node.close();
      process.exit(0);
    });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
