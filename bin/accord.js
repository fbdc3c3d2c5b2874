#!/usr/bin/env node
// The `accord` command: routes a subcommand to the module that owns it.
const commands = {
  participant: async (argv) => {
    const [sub, ...rest] = argv;
    if (sub === 'serve') return (await import('../cli/participant/serve-command.ts')).runParticipantServe(rest);
    process.exitCode = await (await import('../cli/participant/participant-cli.ts')).runParticipantCommand(argv);
  },
  data: async (argv) => (await import('../cli/data-command.ts')).runDataCommand(argv),
  train: async (argv) => (await import('../cli/train/train-command.ts')).runTrainCommand(argv),
  eval: async (argv) => (await import('../cli/train/eval-command.ts')).runEvalCommand(argv),
  privacy: async (argv) => (await import('../cli/privacy-command.ts')).runPrivacyCommand(argv),
  coordinator: async (argv) => (await import('../cli/coordinator-command.ts')).runCoordinatorCommand(argv),
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
