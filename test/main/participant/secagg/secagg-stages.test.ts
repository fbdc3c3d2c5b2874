import { afterEach, describe, expect, it } from 'vitest';
import { SecAggStages } from '../../../../main/participant/secagg/secagg-stages.ts';
import { joinRound, roundClosed, updateOf } from '../../../coordinator/support/secure-participants.ts';
import {
  enrolledParticipant,
  startCoordinator,
  writeTestFederation,
} from '../../../coordinator/support/test-federation.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('SecAggStages', () => {
  it("starts a federation's stage poller when a round asks for secure aggregation and masks through it", async () => {
    const config = await writeTestFederation({
      secureAggregation: true,
      updateEncoding: 'float32-le',
      rounds: 1,
      secureAggregationOptions: { threshold: 2, clipRange: 64, stageSeconds: 10 },
    });
    const { coordinator, address } = await startCoordinator(config);
    cleanups.push(() => coordinator.stop());
    const sites = await Promise.all(
      ['site-a', 'site-b', 'site-c'].map(async (name) => {
        const link = await enrolledParticipant(config, address, name);
        const refusals: string[] = [];
        const stages = new SecAggStages(
          {
            append: (kind, data) => {
              refusals.push(kind);
              return { seq: 0, at: '', kind, data, prevHash: '', hash: '' };
            },
          },
          1,
        );
        cleanups.push(async () => {
          await stages.close();
          link.close();
        });
        return { link, stages, refusals };
      }),
    );
    const tasks = await Promise.all(sites.map((site) => joinRound(site.link)));
    await Promise.all(
      sites.map(async ({ link, stages }, i) => {
        const task = tasks[i]!;
        stages.setLink(task.federationId, link);
        stages.roundSeen(task);
        const masked = await stages.mask(task, updateOf(i, task.modelSpec), 10 + i);
        await link.uploadUpdate(task, `upload-${i}-${task.roundId}`, masked, { numExamples: 1, metrics: {} });
      }),
    );
    const round = await roundClosed(coordinator, tasks[0]!.roundId);
    expect(round.outcome).toBe('aggregated');
    expect(sites.flatMap((site) => site.refusals)).toEqual([]);
  });
});
