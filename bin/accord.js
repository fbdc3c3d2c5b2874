#!/usr/bin/env node
// The `accord` command: routes a subcommand to the module that owns it.
const commands = {
  participant: async (argv) => {
    const [sub, ...rest] = argv;
    if (sub === 'serve') return (await import('../main/headless/cli.ts')).runParticipantServe(rest);
    process.exitCode = await (await import('../main/participant/cli/participant-cli.ts')).runParticipantCommand(argv);
  },
  data: async (argv) => (await import('../engine/data/inspect-dataset.ts')).runDataCommand(argv),
  train: async (argv) => (await import('../engine/train/cli.ts')).runTrainCommand(argv),
  privacy: async (argv) => (await import('../engine/privacy/cli.ts')).runPrivacyCommand(argv),
  coordinator: async (argv) => (await import('../coordinator/cli.ts')).runCoordinatorCommand(argv),
};

const [name, ...argv] = process.argv.slice(2);
const command = commands[name ?? ''];
if (!command) {
  process.stderr.write(`usage: accord <${Object.keys(commands).join('|')}> …\n`);
  process.exit(2);
}
command(argv).catch((error) => {
  process.stderr.write(`accord ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
