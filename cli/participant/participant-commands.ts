/**
 * `accord participant …` in the command tree: the participant node of ACCORD_HOME (or the OS application-data
 * folder) for servers: its UI, enrolment, datasets, budgets, consent policies, approvals and the audit log.
 */
import type { Command } from '../command-line/command-tree.ts';

const datasets = () => import('./dataset-commands.ts');
const consent = () => import('./consent-commands.ts');
const audit = () => import('./audit-commands.ts');
const records = () => import('./record-commands.ts');
const federations = () => import('./enrol-command.ts');
const json = '  --json   the answer as JSON';

const datasetCommands: Command = {
  name: 'datasets',
  summary: 'register, list, remove and re-confirm the datasets this site trains on',
  subcommands: [
    {
      name: 'add',
      summary: 'register a dataset file: checked, counted and fingerprinted (sha256)',
      usage: '--name NAME --path FILE --task TASK [--format csv|tsv|jsonl] --column ROLE=COLUMN…',
      details: '  --column ROLE=COLUMN   which column holds what, e.g. --column text=review --column label=stars',
      run: async (argv) => (await datasets()).addDataset(argv),
    },
    {
      name: 'list',
      summary: 'every dataset, with whether its file still matches what was registered',
      usage: '[--json]',
      details: json,
      run: async (argv) => (await datasets()).listDatasets(argv),
    },
    {
      name: 'remove',
      summary: 'forget a dataset (its file is left alone)',
      usage: 'ID',
      run: async (argv) => (await datasets()).removeDataset(argv),
    },
    {
      name: 'reconfirm',
      summary: 'accept the current contents of a changed dataset file',
      usage: 'ID',
      run: async (argv) => (await datasets()).reconfirmDataset(argv),
    },
  ],
};

const budgetCommands: Command = {
  name: 'budget',
  summary: "a dataset's differential-privacy budget and what has been spent of it",
  subcommands: [
    {
      name: 'set',
      summary: 'set the (ε, δ) budget of a dataset (recorded in the audit log)',
      usage: 'DATASET --epsilon E --delta D [--json]',
      details: json,
      run: async (argv) => (await datasets()).setBudget(argv),
    },
    {
      name: 'show',
      summary: 'the budget, ε spent and left, and every ledger entry',
      usage: 'DATASET [--json]',
      details: json,
      run: async (argv) => (await datasets()).showBudget(argv),
    },
  ],
};

const policyCommands: Command = {
  name: 'policy',
  summary: "a federation's consent policy: ask a person, or approve automatically within limits",
  subcommands: [
    {
      name: 'show',
      summary: 'the consent policy of a federation (JSON)',
      usage: 'FEDERATION',
      run: async (argv) => (await consent()).showPolicy(argv),
    },
    {
      name: 'set',
      summary: 'write the consent policy of a federation',
      usage:
        'FEDERATION --mode ask|auto [--max-epsilon E] [--max-norm N] [--dataset ID]… [--hours FROM-TO] [--metrics share|withhold]',
      details: `  --mode ask|auto     ask a person each round, or approve automatically within the limits
  --max-epsilon E     the most ε one round may spend
  --max-norm N        the largest L2 norm of an update
  --dataset ID        a dataset rounds may use (repeat)
  --hours FROM-TO     whole hours of the day when rounds may run, e.g. 8-18
  --metrics share|withhold
                      send each round's held-out evaluation to the coordinator (default share); it is
                      computed without noise, outside the DP guarantee`,
      run: async (argv) => (await consent()).setPolicy(argv),
    },
  ],
};

const auditCommands: Command = {
  name: 'audit',
  summary: 'verify and export the tamper-evident audit log',
  subcommands: [
    {
      name: 'verify',
      summary: 'check the hash chain and its keychain anchor; exit 1 naming every bad entry',
      usage: '',
      run: async (argv) => (await audit()).verifyAudit(argv),
    },
    {
      name: 'export',
      summary: 'write the log and its verification as JSON and/or a self-contained HTML report',
      usage: '[--json FILE] [--html FILE]',
      run: async (argv) => (await audit()).exportAudit(argv),
    },
    {
      name: 'retain',
      summary: 'keep (on) or stop keeping (off) a copy of every payload sent',
      usage: 'on|off',
      run: async (argv) => (await audit()).retainPayloads(argv),
    },
    {
      name: 'payload',
      summary: 'write a retained payload, found by its sha256, to a file',
      usage: 'SHA256 --out FILE',
      run: async (argv) => (await audit()).writePayload(argv),
    },
  ],
};

export const participantCommands: Command = {
  name: 'participant',
  summary: "this site's participant node: UI, enrolment, datasets, budgets, consent and the audit log",
  subcommands: [
    {
      name: 'serve',
      summary: 'the UI and API on 127.0.0.1; takes part in every enrolled federation',
      usage: '[--port N]',
      details: '  --port N   the port to listen on (default: any free port); the URL with its access token is printed',
      run: async (argv) => (await import('./serve-command.ts')).runParticipantServe(argv),
    },
    {
      name: 'enrol',
      summary: "enrol with a coordinator's invitation (the identity key stays in the OS keychain)",
      usage:
        '(--coordinator HOST:PORT --ca FILE [--client-cert FILE --client-key FILE] | --federation NAME) --invitation CODE [--name DISPLAY_NAME]',
      details: `  --federation NAME         a federation preset in the managed policy file: its address, CA and client certificate
  --coordinator HOST:PORT   the coordinator's address
  --invitation CODE         the one-time token from \`accord coordinator invite\`
  --ca FILE                 the federation's CA certificate (the coordinator's data/certs/ca.pem)
  --name DISPLAY_NAME       how this site is named to the coordinator (default: the host name)
  --client-cert FILE        for a coordinator with mutual TLS: the client certificate its CA issued this site
  --client-key FILE         that certificate's private key (kept in the OS keychain, not in the database)
The identity key is kept in the OS keychain under ACCORD_KEYCHAIN_SERVICE (default "Accord").`,
      run: async (argv) => (await federations()).enrol(argv),
    },
    {
      name: 'federations',
      summary: 'the federations this node is enrolled in',
      usage: '[--json]',
      details: json,
      run: async (argv) => (await federations()).listFederations(argv),
    },
    datasetCommands,
    budgetCommands,
    policyCommands,
    {
      name: 'pending',
      summary: 'contributions waiting for a person: size, norm, ε, dataset, destination and hash',
      usage: '[--json]',
      details: json,
      run: async (argv) => (await consent()).listPending(argv),
    },
    {
      name: 'approve',
      summary: 'approve a pending contribution (recorded with your user name)',
      usage: 'ID [--comment TEXT]',
      run: async (argv) => (await consent()).decideContribution('approve', argv),
    },
    {
      name: 'decline',
      summary: 'decline a pending contribution (recorded with your user name)',
      usage: 'ID [--comment TEXT]',
      run: async (argv) => (await consent()).decideContribution('decline', argv),
    },
    {
      name: 'rounds',
      summary: 'every round, its state and the reason it ended',
      usage: '[--json]',
      details: json,
      run: async (argv) => (await records()).listRounds(argv),
    },
    {
      name: 'support-bundle',
      summary: 'one JSON file for support: versions, providers, settings, federations, a database check, the log',
      usage: '--out FILE',
      details: `  --out FILE   where to write the bundle (readable by you only)
Left out: keys, tokens, client keys, invitation tokens and every value inside a dataset; federations appear
with their certificates' sha256, datasets with their path, size, fingerprint and row count.`,
      run: async (argv) => (await import('./support-bundle-command.ts')).writeSupportBundle(argv),
    },
    {
      name: 'backup',
      summary: 'an online copy of the participant database',
      usage: 'FILE',
      run: async (argv) => (await records()).backupDatabase(argv),
    },
    auditCommands,
  ],
};
