/**
 * The main window: isolated, sandboxed, no Node. Navigation, redirects and new windows are refused for every
 * webContents by web-contents-guard.ts.
 */
import { BrowserWindow } from 'electron';
import { fileURLToPath } from 'node:url';
import { appOrigin } from './sender-policy.ts';

const preloadPath = fileURLToPath(new URL('./preload.cjs', import.meta.url));

/** `show: false` when started at login: the window stays hidden until opened from the tray. */
export function createMainWindow(options: { show?: boolean } = {}): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 640,
    title: 'Accord',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  if (options.show !== false) window.once('ready-to-show', () => window.show());
  void window.loadURL(`${appOrigin}/index.html`);
  return window;
}
