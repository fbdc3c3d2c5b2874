import { describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { methodNames } from '../../../preload/contract.ts';
import { registerIpcHandlers } from '../../../main/electron/ipc.ts';
import { createParticipantApi } from '../../../main/participant/api/participant-api.ts';

type Listener = (event: IpcMainInvokeEvent, payload: unknown) => Promise<unknown>;

/** Records what registerIpcHandlers hands to ipcMain.handle (Electron itself cannot run here). */
function registerAll(): Map<string, Listener> {
  const handlers = new Map<string, Listener>();
  registerIpcHandlers(
    { handle: (channel: string, listener: Listener) => handlers.set(channel, listener) } as never,
    createParticipantApi(),
  );
  return handlers;
}

function eventFrom(url: string | undefined): IpcMainInvokeEvent {
  return { senderFrame: url === undefined ? null : { url } } as unknown as IpcMainInvokeEvent;
}

describe('Electron IPC handlers', () => {
  it('registers exactly one handler per contract method', () => {
    expect([...registerAll().keys()].sort()).toEqual([...methodNames].sort());
  });

  it('answers the app:// renderer', async () => {
    const reply = await registerAll().get('app.info')!(eventFrom('app://accord/index.html'), {});
    expect(reply).toMatchObject({ ok: true, value: { name: 'Accord' } });
  });

  it.each([
    ['a web page', 'https://evil.example/'],
    ['a file:// page', 'file:///tmp/index.html'],
    ['another app:// host', 'app://other/index.html'],
    ['a frame without a URL', undefined],
  ])('refuses a sender that is %s', async (_label, url) => {
    const reply = await registerAll().get('app.info')!(eventFrom(url), {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses a payload that does not match the schema', async () => {
    const reply = await registerAll().get('app.info')!(eventFrom('app://accord/'), { unexpected: 1 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});

describe('Electron event forwarding', () => {
  it('sends each contract event on its own channel until the window is destroyed', async () => {
    const { EventBus } = await import('../../../main/participant/events/event-bus.ts');
    const { forwardEventsToWindow } = await import('../../../main/electron/ipc.ts');
    const bus = new EventBus();
    const sent: [string, unknown][] = [];
    let onDestroyed = () => {};
    forwardEventsToWindow(bus, {
      send: (channel: string, data: unknown) => sent.push([channel, data]),
      once: ((_name: string, listener: () => void) => (onDestroyed = listener)) as never,
      isDestroyed: () => false,
    });
    bus.emit('approvals.waiting', { count: 1, contributionIds: ['c1'] });
    onDestroyed();
    bus.emit('approvals.waiting', { count: 2, contributionIds: ['c1', 'c2'] });
    expect(sent).toEqual([['event:approvals.waiting', { count: 1, contributionIds: ['c1'] }]]);
  });
});
