/**
 * Runs in the sandboxed preload: exposes one function per contract method (never a generic send),
 * each forwarding to the main process over IPC, and one subscribe function per contract event.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { eventNames, methodNames } from './contract.ts';

const api: Record<string, unknown> = {};
for (const method of methodNames) {
  api[method] = (request: unknown) => ipcRenderer.invoke(method, request);
}

/** on['round.state'](listener) → unsubscribe. The IPC event object never reaches the page. */
const on: Record<string, (listener: (data: unknown) => void) => () => void> = {};
for (const event of eventNames) {
  on[event] = (listener) => {
    const relay = (_event: unknown, data: unknown) => listener(data);
    ipcRenderer.on(`event:${event}`, relay);
    return () => ipcRenderer.removeListener(`event:${event}`, relay);
  };
}
api.on = Object.freeze(on);

contextBridge.exposeInMainWorld('accord', Object.freeze(api));
