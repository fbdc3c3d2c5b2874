import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openParticipantNode } from '../../../../main/participant/participant-node.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';

describe('EventBus', () => {
  it('keeps delivering past a failing subscriber, and logs the failure with the event', () => {
    const node = openParticipantNode({ home: tempDir() });
    const delivered: number[] = [];
    node.events.on('approvals.waiting', () => {
      throw new Error('the window was closed');
    });
    node.events.on('approvals.waiting', (event) => delivered.push(event.count));
    node.events.emit('approvals.waiting', { count: 2, contributionIds: ['a', 'b'] });
    node.close();
    expect(delivered).toEqual([2]);
    const [line] = readFileSync(node.log.file, 'utf8')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(line).toMatchObject({ level: 'error', event: 'approvals.waiting', error: 'the window was closed' });
  });
});
