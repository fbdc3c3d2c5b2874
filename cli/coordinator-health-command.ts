/** `accord coordinator health`: exit 0 when the coordinator serves this federation, 1 when not; its round either way. */
import { resolve } from 'node:path';
import { loadCoordinatorConfig } from '../coordinator/config/coordinator-config.ts';
import { checkCoordinatorHealth, type CoordinatorHealth } from '../coordinator/health/coordinator-health.ts';
import { parseCommandLine } from './command-line/parse-command-line.ts';
import { printLine } from './command-line/print-line.ts';
import { UsageError } from './command-line/usage-error.ts';

function describeRound(health: CoordinatorHealth): string {
  const round = health.round;
  if (!round) return 'no round has opened yet';
  return `round ${round.number}: ${round.state} (opened ${round.openedAt}, deadline ${round.deadlineAt})`;
}

export async function runCoordinatorHealth(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, {
    config: { type: 'string', default: 'coordinator.json' },
    address: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.address !== undefined && !/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/.test(values.address))
    throw new UsageError(`--address must be HOST:PORT, got "${values.address}"`);
  const config = loadCoordinatorConfig(resolve(values.config));
  const health = await checkCoordinatorHealth(config, { address: values.address });
  if (values.json) printLine(JSON.stringify(health));
  else {
    const name = `"${health.federationName}" at ${health.address}`;
    printLine(health.serving ? `serving: ${name}` : `NOT serving: ${name}: ${health.problem ?? 'no answer'}`);
    printLine(describeRound(health));
  }
  return health.serving ? 0 : 1;
}
