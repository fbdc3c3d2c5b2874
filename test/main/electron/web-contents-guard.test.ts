/**
 * The guard every webContents gets. Electron does not run under vitest, so the webContents is an EventEmitter
 * with Electron's event names and the handler registry of setWindowOpenHandler: the guard is driven exactly
 * as Electron drives it.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from '../../../main/electron/external-links.ts';
import { denyAllPermissions } from '../../../main/electron/permissions.ts';
import { guardWebContents } from '../../../main/electron/web-contents-guard.ts';

type OpenHandler = (details: { url: string }) => { action: string };

function guardedContents() {
  const contents = new EventEmitter() as EventEmitter & { openHandler?: OpenHandler };
  const opened: string[] = [];
  const target = Object.assign(contents, {
    setWindowOpenHandler: (handler: OpenHandler) => (contents.openHandler = handler),
  });
  guardWebContents(target as never, async (url) => void opened.push(url));
  return { contents, opened };
}

/** Emits an Electron navigation event and says whether the guard prevented it. */
function prevented(contents: EventEmitter, event: string, url: string): boolean {
  let stopped = false;
  contents.emit(event, { preventDefault: () => (stopped = true) }, url);
  return stopped;
}

describe('web contents guard', () => {
  it('refuses navigation and redirects away from app://accord/, and every webview', () => {
    const { contents } = guardedContents();
    expect(prevented(contents, 'will-navigate', 'app://accord/index.html#/datasets')).toBe(false);
    expect(prevented(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented(contents, 'will-redirect', 'https://evil.example/')).toBe(true);
    expect(prevented(contents, 'will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(prevented(contents, 'will-attach-webview', 'app://accord/')).toBe(true);
  });

  it('denies every new window and opens no page outside the allow-list', () => {
    const { contents, opened } = guardedContents();
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'app://accord/index.html' })).toEqual({ action: 'deny' });
    expect(opened).toEqual([]);
  });

  it('matches allowed links on the parsed URL, so look-alike hosts and credentials do not pass', () => {
    const allowed = ['https://docs.example.org/accord/'];
    expect(isAllowedExternalUrl('https://docs.example.org/accord/privacy', allowed)).toBe(true);
    expect(isAllowedExternalUrl('http://docs.example.org/accord/privacy', allowed)).toBe(false);
    expect(isAllowedExternalUrl('https://docs.example.org.evil.example/accord/', allowed)).toBe(false);
    expect(isAllowedExternalUrl('https://docs.example.org@evil.example/accord/', allowed)).toBe(false);
    expect(isAllowedExternalUrl('https://docs.example.org/other/', allowed)).toBe(false);
    expect(isAllowedExternalUrl('not a url', allowed)).toBe(false);
  });
});

describe('permissions', () => {
  it('refuses every permission request, check and device', () => {
    const answers: unknown[] = [];
    denyAllPermissions({
      setPermissionRequestHandler: (handler) =>
        handler?.({} as never, 'media', (granted: boolean) => answers.push(granted), {} as never),
      setPermissionCheckHandler: (handler) => answers.push(handler?.(null, 'notifications', '', {} as never)),
      setDevicePermissionHandler: (handler) => answers.push(handler?.({} as never)),
    });
    expect(answers).toEqual([false, false, false]);
  });
});
