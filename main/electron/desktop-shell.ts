/**
 * Wires the participant's events to what the desktop shows outside the window: the tray status, an OS
 * notification when a contribution awaits approval, and the confirmation before quitting during training.
 * The decisions are ShellState's (tested under Node); this file only applies them.
 */
import { app, dialog, Notification, type BrowserWindow } from 'electron';
import type { EventBus } from '../participant/events/event-bus.ts';
import { ShellState, type Notice } from './shell-state.ts';
import { createStatusTray } from './tray.ts';

export function showWindow(window: BrowserWindow, view?: string): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  if (view) void window.webContents.executeJavaScript(`location.hash = ${JSON.stringify(`#/${view}`)}`);
}

function notify(notice: Notice, window: BrowserWindow): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: notice.title, body: notice.body });
  notification.on('click', () => showWindow(window, 'rounds'));
  notification.show();
}

/**
 * Asks before quitting while training. Closing the window only hides it: the participant keeps running in
 * the tray for unattended rounds, and Quit (tray menu, Cmd+Q) is the way out.
 */
function guardQuit(shell: ShellState, window: BrowserWindow): void {
  let quitting = false;
  app.on('before-quit', (event) => {
    const ask = quitting ? undefined : shell.quitConfirmation();
    const answer = ask ? dialog.showMessageBoxSync(window, { type: 'warning', ...ask, defaultId: ask.cancelId }) : 1;
    if (ask && answer === ask.cancelId) event.preventDefault();
    else quitting = true;
  });
  window.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    window.hide();
  });
}

export function attachDesktopShell(events: EventBus, window: BrowserWindow): () => void {
  const shell = new ShellState();
  const updateTray = createStatusTray((view) => showWindow(window, view));
  const refresh = () => updateTray(shell.trayStatus());
  guardQuit(shell, window);
  const stops = [
    events.on('round.state', (event) => (shell.onRoundState(event), refresh())),
    events.on('federation.state', (federation) => (shell.onFederationState(federation), refresh())),
    events.on('approvals.waiting', (event) => {
      const notice = shell.onApprovalsWaiting(event);
      if (notice) notify(notice, window);
      refresh();
    }),
  ];
  refresh();
  return () => stops.forEach((stop) => stop());
}
