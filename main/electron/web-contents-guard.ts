/**
 * Applied to every webContents the app creates (app.on('web-contents-created')), not only the main window's:
 * no navigation or redirect away from app://accord/, no <webview>, no new windows; an allow-listed link
 * opens in the user's browser instead.
 */
import type { WebContents } from 'electron';
import { isAllowedExternalUrl } from './external-links.ts';
import { isTrustedSenderUrl } from './sender-policy.ts';

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function guardWebContents(contents: GuardedContents, openExternal: (url: string) => Promise<void>): void {
  const stayInApp = (event: { preventDefault(): void }, url: string) => {
    if (!isTrustedSenderUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void openExternal(url);
    return { action: 'deny' };
  });
}
