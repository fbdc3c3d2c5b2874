import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ParticipantLog } from '../../../../main/participant/logging/participant-log.ts';
import { openParticipantNode } from '../../../../main/participant/participant-node.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const savedHome = process.env.ACCORD_HOME;
afterEach(() => {
  if (savedHome === undefined) delete process.env.ACCORD_HOME;
  else process.env.ACCORD_HOME = savedHome;
});

describe('ParticipantLog', () => {
  it('writes JSON lines to logs/participant.log in the data folder of the node', () => {
    const home = tempDir();
    process.env.ACCORD_HOME = home;
    const node = openParticipantNode();
    node.log.info('round state', { federationId: 'fed-a', roundKey: 'fed-a/r1', state: 'accepted' });
    node.log.error('round step failed', new Error('connection reset'), { federationId: 'fed-a', roundKey: 'fed-a/r1' });
    node.close();
    const file = join(home, 'logs', 'participant.log');
    const [info, error] = lines(file);
    expect(info).toMatchObject({ level: 'info', message: 'round state', roundKey: 'fed-a/r1', state: 'accepted' });
    expect(Date.parse(String(info?.at))).not.toBeNaN();
    expect(error).toMatchObject({
      level: 'error',
      roundKey: 'fed-a/r1',
      error: 'connection reset',
      errorName: 'Error',
    });
    expect(String(error?.stack)).toMatch(/connection reset/);
  });

  it('rotates at the size limit and keeps only the newest files', () => {
    const file = join(tempDir(), 'logs', 'participant.log');
    const log = new ParticipantLog(file, { maxBytes: 400, files: 3 });
    for (let n = 0; n < 40; n++) log.info('line', { n });
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(existsSync(`${file}.2`)).toBe(true);
    expect(existsSync(`${file}.3`)).toBe(false);
    for (const kept of [file, `${file}.1`, `${file}.2`]) expect(statSync(kept).size).toBeLessThanOrEqual(400);
    // Oldest file first, the lines are the newest ones, in order, with none missing in between.
    const kept = [`${file}.2`, `${file}.1`, file].flatMap((name) => lines(name).map((line) => line.n as number));
    expect(kept.at(-1)).toBe(39);
    expect(kept).toEqual(kept.map((_, i) => (kept[0] as number) + i));
    expect(kept[0]).toBeGreaterThan(0);
  });

  it('continues an existing file after a restart, counting its size', () => {
    const file = join(tempDir(), 'logs', 'participant.log');
    new ParticipantLog(file, { maxBytes: 300 }).info('before', { filler: 'x'.repeat(200) });
    const reopened = new ParticipantLog(file, { maxBytes: 300 });
    reopened.info('after', { filler: 'x'.repeat(200) });
    expect(lines(`${file}.1`).map((line) => line.message)).toEqual(['before']);
    expect(lines(file).map((line) => line.message)).toEqual(['after']);
  });
});
