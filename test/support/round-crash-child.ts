/**
 * A participant process for the crash tests: runs (or resumes) one round against the fake coordinator and,
 * when told to, stops dead in a chosen state so that the test can SIGKILL it there.
 *   ACCORD_HOME   the participant's data folder (dataset, budget and policy already set up)
 *   ROUND_TASK    the RoundTask as JSON (the same on every run)
 *   CRASH_AT      a round state, or 'upload-sent' (the coordinator has the bytes, the receipt is not back)
 */
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { attachRoundRunner, openParticipantNode } from '../../main/participant/participant-node.ts';
import type { RoundTask } from '../../main/participant/coordinator-client/federation-link.ts';
import { FakeCoordinator } from './fake-coordinator.ts';
import { FakeTrainer } from './fake-trainer.ts';

const home = process.env.ACCORD_HOME ?? '';
const crashAt = process.env.CRASH_AT ?? '';
const task = JSON.parse(process.env.ROUND_TASK ?? '{}') as RoundTask;

function stopDead(where: string): void {
  writeSync(1, `PAUSED ${where}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

const node = openParticipantNode({ home });
const coordinator = new FakeCoordinator(join(home, 'coordinator.sqlite'));
if (crashAt === 'upload-sent') coordinator.afterReceive = () => stopDead('upload-sent');
node.events.on('round.state', (event) => {
  if (event.state === crashAt) stopDead(event.state);
});
const runner = attachRoundRunner(node, { link: coordinator, trainer: new FakeTrainer() });
const resumed = await runner.resume();
const round = resumed[0] ?? runner.round(`${task.federationId}/${task.roundId}`) ?? (await runner.handle(task));
writeSync(1, `DONE ${round.state}\n`);
node.close();
coordinator.close();
