/** Electron entry: lifecycle only. Everything the app does lives in main/participant. */
import { app, ipcMain, session } from 'electron';
import { createParticipantApi } from '../participant/api/participant-api.ts';
import { openParticipantNode } from '../participant/participant-node.ts';
import { registerAppSchemeAsPrivileged, serveRendererOverAppProtocol } from './app-protocol.ts';
import { forwardEventsToWindow, registerIpcHandlers } from './ipc.ts';
import { createMainWindow } from './window.ts';

registerAppSchemeAsPrivileged();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    serveRendererOverAppProtocol();
    const node = openParticipantNode();
    app.once('will-quit', () => node.close());
    registerIpcHandlers(ipcMain, createParticipantApi(node));
    forwardEventsToWindow(node.events, createMainWindow().webContents);
  });
}
