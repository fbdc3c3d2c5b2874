/** The tray icon: the participant's status at a glance, and a way back to the window. */
import { app, Menu, nativeImage, Tray } from 'electron';
import { join } from 'node:path';
import type { TrayStatus } from './shell-state.ts';

function icon(name: TrayStatus['icon']) {
  // nativeImage picks name@2x.png on high-density displays by itself.
  return nativeImage.createFromPath(join(app.getAppPath(), 'resources', 'icons', 'tray', `${name}.png`));
}

export function createStatusTray(open: (view?: string) => void): (status: TrayStatus) => void {
  const tray = new Tray(icon('idle'));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Accord', click: () => open() },
      { label: 'Review approvals', click: () => open('rounds') },
      { type: 'separator' },
      { label: 'Quit Accord', click: () => app.quit() },
    ]),
  );
  tray.on('click', () => open());
  let shown: TrayStatus['icon'] = 'idle';
  return (status) => {
    if (status.icon !== shown) tray.setImage(icon(status.icon));
    shown = status.icon;
    tray.setToolTip(status.tooltip);
  };
}
