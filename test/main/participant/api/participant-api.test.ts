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
