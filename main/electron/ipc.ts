/**
 * Registers every contract method on ipcMain through one wrapper: it checks the sender frame's
 * origin, then dispatches (which parses the payload with the contract's schema).
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { methodNames, type Envelope, type ParticipantApi } from '../../preload/contract.ts';
import { dispatch } from '../participant/api/dispatch.ts';
import { eventChannel, forwardEvents } from '../participant/api/event-forwarding.ts';
import type { EventBus } from '../participant/events/event-bus.ts';
import { isTrustedSenderUrl } from './sender-policy.ts';

type IpcRegistrar = Pick<IpcMain, 'handle'>;

export async function handleIpcInvoke(
  api: ParticipantApi,
  method: string,
  senderUrl: string | undefined,
  payload: unknown,
): Promise<Envelope<unknown>> {
  if (!isTrustedSenderUrl(senderUrl)) {
    return {
      ok: false,
      error: { code: 'forbidden', message: `IPC from untrusted origin refused: ${senderUrl ?? 'none'}` },
    };
  }
  return dispatch(api, method, payload);
}

export function registerIpcHandlers(ipcMain: IpcRegistrar, api: ParticipantApi): void {
  for (const method of methodNames) {
    ipcMain.handle(method, (event: IpcMainInvokeEvent, payload: unknown) =>
      handleIpcInvoke(api, method, event.senderFrame?.url, payload),
    );
  }
}

/** Pushes the participant's events to one window until it is destroyed. */
export function forwardEventsToWindow(
  events: EventBus,
  contents: Pick<WebContents, 'send' | 'once' | 'isDestroyed'>,
): () => void {
  const stop = forwardEvents(events, (event, data) => {
    if (!contents.isDestroyed()) contents.send(eventChannel(event), data);
  });
  contents.once('destroyed', stop);
  return stop;
}
