/** The Settings view in Chromium on a node under a managed policy: what the policy fixes is disabled, with a note. */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParticipantApi } from '../../main/participant/api/participant-api.ts';
import { openParticipantNode, type ParticipantNode } from '../../main/participant/participant-node.ts';
import { parseManagedPolicy } from '../../main/participant/policy/managed-policy-file.ts';
import { rendererDistDir } from '../../main/headless/renderer-assets.ts';
import { startHeadlessServer, type HeadlessServer } from '../../main/headless/server.ts';
import { launchChromium } from '../support/chromium.ts';
import { tempDir } from '../support/participant-fixtures.ts';

const policyFile = '/etc/accord/policy.json';
let node: ParticipantNode;
let server: HeadlessServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(`${rendererDistDir}/index.html`)) throw new Error('renderer not built: run `npm run build:renderer`');
  const rules = { workstation: { computeDevice: 'cpu', retainPayloads: true }, consent: { automaticApproval: false } };
  node = openParticipantNode({ home: tempDir(), policy: parseManagedPolicy(policyFile, JSON.stringify(rules)) });
  server = await startHeadlessServer({ api: createParticipantApi(node) });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  node?.close();
});

describe('Settings under a managed policy, in Chromium', () => {
  it('disables the managed fields with a note naming the policy file, and leaves the others alone', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
    const device = page.locator('select[name="compute-device"]');
    await expect.poll(() => device.isDisabled()).toBe(true);
    expect(await device.inputValue()).toBe('cpu');
    const keepCopies = page.getByLabel('Keep a copy of every update sent, so an auditor can inspect it');
    expect(await keepCopies.isDisabled()).toBe(true);
    expect(await keepCopies.isChecked()).toBe(true);
    expect(await page.getByLabel('Start Accord when I log in', { exact: false }).isDisabled()).toBe(false);
    expect(await page.locator('textarea[name="dataset-folders"]').isDisabled()).toBe(false);
    const notes = await page.locator('.managed-note').allTextContents();
    expect(notes.filter((note) => note.includes(`Set by your institution's policy (${policyFile}).`))).toHaveLength(2);
    expect(await page.locator('input[name="mode"][value="auto"]').isDisabled()).toBe(true);
    expect(notes.some((note) => note.includes('has every contribution wait for a person'))).toBe(true);
    await page.screenshot({ path: 'test-results/settings-managed.png', fullPage: true });
  });
});
