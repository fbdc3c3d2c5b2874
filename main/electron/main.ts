/** Electron entry: lifecycle only. Everything the app does lives in main/participant. */
import { app, ipcMain, session, shell } from 'electron';
import { createParticipantApi } from '../participant/api/participant-api.ts';
import { Participation } from '../participant/participation/participation.ts';
import { openParticipantNode, type ParticipantNode } from '../participant/participant-node.ts';
import { readWorkstationSettings } from '../participant/settings/workstation-settings.ts';
import { engineLocalTrainerFor } from '../participant/training/engine-local-trainer.ts';
import { registerAppSchemeAsPrivileged, serveRendererOverAppProtocol } from './app-protocol.ts';
import { pickDatasetFile } from './dataset-picker.ts';
import { attachDesktopShell, showWindow } from './desktop-shell.ts';
import { forwardEventsToWindow, registerIpcHandlers } from './ipc.ts';
import { denyAllPermissions } from './permissions.ts';
import { loginItemSettings, startsHidden } from './shell-state.ts';
import { guardWebContents } from './web-contents-guard.ts';
import { createMainWindow } from './window.ts';

registerAppSchemeAsPrivileged();

/** Start at login follows the setting each time it may have changed (the renderer saves it via settings.set). */
function applyLoginItem(node: ParticipantNode): void {
  app.setLoginItemSettings(loginItemSettings(readWorkstationSettings(node.database.db).startAtLogin));
}

async function start(): Promise<void> {
  denyAllPermissions(session.defaultSession);
  serveRendererOverAppProtocol();
  const node = openParticipantNode();
  const participation = await Participation.start(node, { trainer: engineLocalTrainerFor(node.database.db) });
  app.once('will-quit', () => {
    void participation.close().finally(() => node.close());
  });
  const api = createParticipantApi(node, participation);
  const setSettings = api['settings.set'];
  api['settings.set'] = async (update) => {
    const settings = await setSettings(update);
    applyLoginItem(node);
    return settings;
  };
  registerIpcHandlers(ipcMain, api);
  applyLoginItem(node);
  const window = createMainWindow({ show: !startsHidden(process.argv) });
  api['datasets.pick'] = () => pickDatasetFile(window, node.database.db);
  forwardEventsToWindow(node.events, window.webContents);
  attachDesktopShell(node.events, window);
  app.on('second-instance', () => showWindow(window));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, (url) => shell.openExternal(url)));
  void app.whenReady().then(start);
}
