/**
 * Runs in the sandboxed preload: exposes one function per contract method (never a generic send),
 * each forwarding to the main process over IPC.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { methodNames } from './contract.ts';

const api: Record<string, (request: unknown) => Promise<unknown>> = {};
for (const method of methodNames) {
  api[method] = (request: unknown) => ipcRenderer.invoke(method, request);
}

contextBridge.exposeInMainWorld('accord', Object.freeze(api));
