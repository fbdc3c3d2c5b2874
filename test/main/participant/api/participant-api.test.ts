import { describe, expect, it } from 'vitest';
import { AppInfo, methodNames, type ParticipantApi } from '../../../../preload/contract.ts';
import { createParticipantApi } from '../../../../main/participant/api/participant-api.ts';
import { dispatch } from '../../../../main/participant/api/dispatch.ts';

describe('ParticipantApi', () => {
  it('implements every contract method', () => {
    expect(Object.keys(createParticipantApi()).sort()).toEqual([...methodNames].sort());
  });

  it('makes a missing handler a compile error', () => {
    // @ts-expect-error -- 'app.info' is missing: the type check of test/ fails if this ever compiles.
    const incomplete: ParticipantApi = {};
    expect(incomplete).toEqual({});
  });

  it('reports the version, platform and execution providers of this machine', async () => {
    const info = AppInfo.parse(await createParticipantApi()['app.info']({}));
    expect(info.platform).toBe(process.platform);
    expect(info.executionProviders.find((provider) => provider.name === 'cpu')?.available).toBe(true);
    expect(info.executionProviders.map((provider) => provider.name)).toContain(info.selectedExecutionProvider);
  });

  it('names an unknown method in its error', async () => {
    const reply = await dispatch(createParticipantApi(), 'app.delete', {});
    expect(reply).toEqual({ ok: false, error: { code: 'unknown_method', message: 'unknown method "app.delete"' } });
  });
});

describe('ParticipantApi over a participant node', () => {
  it('registers a dataset, sets its budget and projects a round through the validated dispatch', async () => {
    const { openParticipantNode } = await import('../../../../main/participant/participant-node.ts');
    const { tempDir, writeSentimentCsv } = await import('../../../support/participant-fixtures.ts');
    const home = tempDir();
    const node = openParticipantNode({ home });
    const api = createParticipantApi(node);
    await api['settings.set']({ datasetFolders: [home] });
    const added = await dispatch(api, 'datasets.add', {
      name: 'reviews',
      path: writeSentimentCsv(home),
      task: 'sentiment',
      format: 'csv',
      columns: { text: 'text', label: 'label' },
    });
    expect(added).toMatchObject({ ok: true, value: { name: 'reviews', status: 'ready' } });
    const id = (added as { value: { id: string } }).value.id;
    expect(await dispatch(api, 'budget.set', { datasetId: id, epsilon: 3, delta: 1e-5 })).toMatchObject({
      ok: true,
      value: { epsilon: 3, spent: 0, remaining: 3, entries: [] },
    });
    const projected = await dispatch(api, 'budget.project', {
      datasetId: id,
      noiseMultiplier: 1.5,
      sampleRate: 0.04,
      steps: 2250,
    });
    // Opacus's published value for σ = 1.5, q = 0.04, 2250 steps, δ = 1e-5 is ε = 7.329: over a budget of 3.
    expect(projected).toMatchObject({ ok: true, value: { withinBudget: false } });
    expect((projected as { value: { epsilonAfter: number } }).value.epsilonAfter).toBeCloseTo(7.32911117143, 6);
    expect(await dispatch(api, 'budget.set', { datasetId: id, epsilon: -1, delta: 1e-5 })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await dispatch(api, 'audit.verify', {})).toMatchObject({ ok: true, value: { ok: true, problems: [] } });
    node.close();
  });

  it('without a node, domain methods say so instead of failing obscurely', async () => {
    expect(await dispatch(createParticipantApi(), 'datasets.list', {})).toEqual({
      ok: false,
      error: { code: 'failed', message: 'datasets.list: the participant node is not open' },
    });
  });

  it('lists rounds and approves a waiting contribution as the OS user, through the validated dispatch', async () => {
    const { userInfo } = await import('node:os');
    const { wiredParticipant } = await import('../../../support/participant-fixtures.ts');
    const { fakeTask } = await import('../../../support/fake-coordinator.ts');
    const { node, runner, coordinator } = await wiredParticipant();
    const api = createParticipantApi(node);
    const round = await runner.handle(fakeTask());
    expect(await dispatch(api, 'rounds.list', {})).toMatchObject({
      ok: true,
      value: [{ roundKey: round.roundKey, state: 'awaiting_approval', approvedSha256: round.approvedSha256 }],
    });
    expect(await dispatch(api, 'approvals.approve', { id: round.contributionId, comment: 7 })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    const approved = await dispatch(api, 'approvals.approve', { id: round.contributionId, comment: 'fine' });
    expect(approved).toMatchObject({
      ok: true,
      value: { status: 'approved', decidedBy: userInfo().username, comment: 'fine' },
    });
    await runner.advance(round.roundKey);
    expect(coordinator.uploads()).toHaveLength(1);
    expect(await dispatch(api, 'audit.entries', { limit: 2 })).toMatchObject({
      ok: true,
      value: [{ seq: 1 }, { seq: 2 }],
    });
    node.close();
  });
});
