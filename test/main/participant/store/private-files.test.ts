/**
 * A participant node's data is its owner's alone: after a real headless node starts on a data folder that was
 * created world-readable, the folder is 0700 and the database and its WAL 0600; the log folder 0700, its file 0600.
 */
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParticipantLog, participantLogFile } from '../../../../main/participant/logging/participant-log.ts';
import { startHeadlessNode, type HeadlessNodeProcess } from '../../../support/headless-node.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);
let node: HeadlessNodeProcess | undefined;
afterAll(() => node?.stop());

describe.skipIf(process.platform === 'win32')('participant file modes', () => {
  it('makes the data folder 0700 and the database files 0600 when a headless node starts', async () => {
    const home = join(tempDir(), 'accord-home');
    mkdirSync(home, { mode: 0o755 });
    chmodSync(home, 0o755);
    node = await startHeadlessNode(home);
    expect(modeOf(home)).toBe('700');
    expect(modeOf(join(home, 'participant.sqlite'))).toBe('600');
    expect(existsSync(join(home, 'participant.sqlite-wal'))).toBe(true);
    expect(modeOf(join(home, 'participant.sqlite-wal'))).toBe('600');
    expect(modeOf(join(home, 'logs'))).toBe('700');
  });

  it('writes the log 0600 in a 0700 folder, even a folder that existed with a wider mode', () => {
    const home = tempDir();
    mkdirSync(join(home, 'logs'), { mode: 0o755 });
    chmodSync(join(home, 'logs'), 0o755);
    const log = new ParticipantLog(participantLogFile(home));
    log.info('started');
    expect(modeOf(join(home, 'logs'))).toBe('700');
    expect(modeOf(log.file)).toBe('600');
  });
});
