import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import packageJson from '../../package.json' with { type: 'json' };
import { createParticipantApi } from '../../main/participant/api/participant-api.ts';
import { rendererDistDir } from '../../main/headless/renderer-assets.ts';
import { startHeadlessServer, type HeadlessServer } from '../../main/headless/server.ts';
import { launchChromium } from '../support/chromium.ts';

let server: HeadlessServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(`${rendererDistDir}/index.html`)) throw new Error('renderer not built: run `npm run build:renderer`');
  server = await startHeadlessServer({ api: createParticipantApi() });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('headless UI in Chromium', () => {
  it('shows the version and execution providers read through app.info', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('app-version').textContent()).toBe(packageJson.version);
    const providers = await page.getByTestId('execution-providers').locator('tbody tr').allTextContents();
    expect(providers.some((row) => row.startsWith('CPU') && row.includes('Available'))).toBe(true);
    await page.screenshot({ path: 'test-results/overview.png', fullPage: true });
    expect(errors).toEqual([]);
  });

  it('renders every view under a CSP without inline styles, with no policy violation', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto(server.url);
    expect(response?.headers()['content-security-policy']).toMatch(/style-src 'self';/);
    const links = page.getByRole('navigation').getByRole('link');
    for (let index = 0; index < (await links.count()); index += 1) {
      const name = (await links.nth(index).textContent())?.trim() ?? '';
      await links.nth(index).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(name);
    }
    expect(violations).toEqual([]);
  });

  it('shows a refusal, not the app, without the token', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`http://127.0.0.1:${server.port}/`);
    expect(response?.status()).toBe(401);
    expect(await page.locator('body').textContent()).toContain('access token');
  });

  it('moves between views with the keyboard', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.getByRole('link', { name: 'Audit' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Audit');
    expect(await page.getByRole('link', { name: 'Audit' }).getAttribute('aria-current')).toBe('page');
  });
});
