/** `accord coordinator …` in the command tree: set up a federation's folder, certificates and invitations, and run it. */
import type { Command } from './command-line/command-tree.ts';

const load = () => import('./coordinator-command.ts');
const loadReports = () => import('./coordinator-report-command.ts');
const configOption = '  --config FILE   the coordinator configuration (default coordinator.json)';

export const coordinatorCommands: Command = {
  name: 'coordinator',
  summary: "run a federation: its folder, CA and certificates, invitations, and the coordinator's server",
  subcommands: [
    {
      name: 'init',
      summary:
        'create the data folder, store and receipt-signing key (writes a configuration from a job, or an example)',
      usage: '[--config FILE] [--job FILE | --labels A,B,…]',
      details: `${configOption}
  --job FILE      write the configuration and round 0's seeded weights from a job (docs/coordinator.md,
                  "Jobs"), then initialise; refused when the configuration already exists
  --labels A,B,…  the classes of the example configuration written when none exists (default 0,1)
The configuration's folder is created when it does not exist yet.`,
      run: async (argv) => (await load()).runCoordinatorInit(argv),
    },
    {
      name: 'certs',
      summary: "create the federation's CA and the server certificate (and client certificates for mutual TLS)",
      usage: '[--config FILE] [--host NAME|IP]… [--client NAME]',
      details: `${configOption}
  --host NAME|IP  a name the server certificate is valid for (repeat; default localhost and 127.0.0.1)
  --client NAME   also issue a client certificate for mutual TLS`,
      run: async (argv) => (await load()).runCoordinatorCerts(argv),
    },
    {
      name: 'invite',
      summary: 'print a one-time enrolment token (only its hash is stored)',
      usage: '[--config FILE] [--days N] [--note TEXT]',
      details: `${configOption}
  --days N        how long the token is valid (default 7)
  --note TEXT     who it is for, kept with its hash`,
      run: async (argv) => (await load()).runCoordinatorInvite(argv),
    },
    {
      name: 'health',
      summary: 'whether the coordinator serves this federation (exit 0) or not (exit 1), and its current round',
      usage: '[--config FILE] [--address HOST:PORT] [--json]',
      details: `${configOption}
  --address HOST:PORT  where to ask (default: the configured listen address; 0.0.0.0 is asked on 127.0.0.1)
  --json          one JSON line: serving, problem, federation, round
It connects as a participant does (TLS with the federation's CA; with mutual TLS, a client certificate issued
for this check only) and reads the round from the store without writing to it.`,
      run: async (argv) => (await import('./coordinator-health-command.ts')).runCoordinatorHealth(argv),
    },
    {
      name: 'run',
      summary: 'serve the federation over TLS and run its rounds until Ctrl+C',
      usage: '[--config FILE]',
      details: configOption,
      run: async (argv) => (await load()).runCoordinatorRun(argv),
    },
    {
      name: 'status',
      summary: 'print the job, the rounds with who took part, and the evaluation metrics per round',
      usage: '[--config FILE]',
      details: `${configOption}
Reads the coordinator's store; works while the coordinator runs or is stopped.`,
      run: async (argv) => (await loadReports()).runCoordinatorStatus(argv),
    },
    {
      name: 'report',
      summary: 'write an HTML page with a chart per metric over rounds and the tables',
      usage: '[--config FILE] --out DIR',
      details: `${configOption}
  --out DIR       the folder to write index.html into (created when missing)
Reads the coordinator's store; works while the coordinator runs or is stopped. The page fetches nothing.`,
      run: async (argv) => (await loadReports()).runCoordinatorReport(argv),
    },
  ],
};
