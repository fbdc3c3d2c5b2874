/**
 * The data steward's story in Chromium, against the headless UI of a real participant node (temp data folder,
 * real SQLite, real audit log and ledger) whose rounds come from the participant's test coordinator: register
 * a dataset (after a bad file's error), set a budget, watch training, approve a round and find it in the audit
 * log, verify the log, decline a round. Every view is captured under test-results/screenshots/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createParticipantApi } from '../../main/participant/api/participant-api.ts';
import { startHeadlessServer, type HeadlessServer } from '../../main/headless/server.ts';
import {
  attachRoundRunner,
  openParticipantNode,
  type ParticipantNode,
} from '../../main/participant/participant-node.ts';
import type { RoundRunner } from '../../main/participant/rounds/round-runner.ts';
import { launchChromium } from '../support/chromium.ts';
import { FakeCoordinator, fakeTask } from '../support/fake-coordinator.ts';
import { PacedTrainer } from '../support/paced-trainer.ts';
import { setPickedDatasetFolders } from '../../main/participant/datasets/dataset-folders.ts';
import { tempDir, writeSentimentCsv } from '../support/participant-fixtures.ts';

const shots = 'test-results/screenshots';
let home: string;
let node: ParticipantNode;
let coordinator: FakeCoordinator;
let runner: RoundRunner;
let server: HeadlessServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function open(view: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: new RegExp(`^${view}`) })
    .click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(view);
}

async function shoot(name: string): Promise<void> {
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  home = tempDir('accord-ui-');
  node = openParticipantNode({ home });
  setPickedDatasetFolders(node.database.db, [home]);
  coordinator = new FakeCoordinator(join(home, 'coordinator.sqlite'));
  runner = attachRoundRunner(node, {
    link: coordinator,
    trainer: new PacedTrainer(12, 150),
  });
  server = await startHeadlessServer({ api: createParticipantApi(node), events: node.events });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await Promise.allSettled([...(runner?.inFlight.values() ?? [])]);
  coordinator?.close();
  node?.close();
});

describe('the participant story in the browser', () => {
  it('shows a clear empty state before anything is set up', async () => {
    await expect.poll(() => page.getByText('has not taken part in a federation yet').count()).toBe(1);
    await shoot('overview-empty');
  });

  it('refuses a bad file, naming its line and field', async () => {
    const bad = join(home, 'bad.csv');
    writeFileSync(bad, 'text,label\n"fine review",1\n"another",0\n"no label here",\n"last",1\n');
    await open('Datasets');
    await page.getByLabel('File path').fill(bad);
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.getByTestId('preview-table').locator('tbody tr').count()).toBe(4);
    await page.getByRole('button', { name: 'Register dataset' }).click();
    await expect.poll(() => page.getByTestId('problem-line').textContent()).toBe('4');
    expect(await page.getByTestId('file-problem').textContent()).toContain('label');
    await shoot('datasets-bad-file');
  });

  it('registers a good file after previewing it and shows its statistics', async () => {
    const good = writeSentimentCsv(home, 'reviews.csv', 40);
    await page.getByLabel('File path').fill(good);
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.getByTestId('preview-table').locator('tbody tr').count()).toBe(10);
    await page.getByRole('button', { name: 'Register dataset' }).click();
    const row = page.getByTestId('datasets-table').locator('tbody tr');
    await expect.poll(() => row.first().textContent()).toContain('reviews');
    expect(await row.first().textContent()).toContain('0: 20, 1: 20');
    await shoot('datasets');
  });

  it('sets a privacy budget', async () => {
    await open('Privacy');
    await page.getByLabel('Budget ε').fill('8');
    await page.getByLabel('δ').fill('1e-5');
    await page.getByRole('button', { name: 'Set budget' }).click();
    await expect.poll(() => page.getByTestId('budgets-table').textContent()).toContain('ε 8.000');
    expect(node.ledger.budget(node.datasets.list()[0]!.id)).toMatchObject({ epsilon: 8, delta: 1e-5 });
  });

  it('shows the training chart growing while a round trains', async () => {
    await open('Training');
    const round = runner.handle(fakeTask({ roundId: 'round-1', roundNumber: 1 }));
    // Seen part-way (some points, not all 12), then complete: the chart grows as events arrive.
    const points = async () => Number((await page.getByTestId('loss-chart').getAttribute('data-points')) ?? 0);
    await expect
      .poll(async () => {
        const n = await points();
        return n > 0 && n < 12;
      })
      .toBe(true);
    await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-points')).toBe('12');
    expect(await page.getByTestId('metrics-chart').count()).toBe(1);
    await shoot('training');
    expect((await round).state).toBe('awaiting_approval');
  });

  it('approves a round with the full payload summary and finds the decision in the audit log', async () => {
    await expect.poll(() => page.getByTestId('announcement').textContent()).toContain('awaits your approval');
    await open('Rounds');
    const card = page.getByTestId('approval');
    await expect.poll(() => card.count()).toBe(1);
    for (const label of [
      'Update size',
      'Update L2 norm',
      'ε this round',
      'ε after this round',
      'Update SHA-256',
      'Global model SHA-256',
      'Coordinator',
      'Dataset',
    ])
      expect(await card.getByText(label, { exact: true }).count()).toBe(1);
    expect(await page.getByTestId('payload-size').textContent()).toMatch(/^\d+ B$|KB|MB/);
    await shoot('rounds-approval');
    await card.getByLabel('Comment (kept in the audit log)').fill('checked with the DPO');
    await card.getByRole('button', { name: 'Approve and send' }).click();
    await expect
      .poll(() => page.getByTestId('round-history').textContent(), { timeout: 10_000 })
      .toContain('Sent and receipted');
    expect(coordinator.uploads()).toHaveLength(1);
    await open('Audit');
    await page.getByLabel('Kind').selectOption('decision');
    await expect.poll(() => page.getByTestId('audit-table').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('audit-table').textContent()).toContain('checked with the DPO');
  });

  it('verifies the log', async () => {
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('button', { name: 'Verify the log' }).click();
    await expect.poll(() => page.getByTestId('verification').textContent()).toMatch(/intact: all \d+ entries verify/);
    await shoot('audit');
  });

  it('declines a round: nothing is sent and the coordinator is told', async () => {
    await runner.handle(fakeTask({ roundId: 'round-2', roundNumber: 2 }));
    await open('Rounds');
    await expect.poll(() => page.getByTestId('approval').count()).toBe(1);
    // By keyboard alone: the comment field, then Tab to Approve and Decline, Enter on Decline.
    await page.getByTestId('approval').getByLabel('Comment (kept in the audit log)').focus();
    await page.keyboard.type('outside our study protocol');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Decline');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('round-history').textContent()).toContain('Declined');
    await shoot('rounds');
    expect(coordinator.uploads()).toHaveLength(1);
    expect(coordinator.declines().map((decline) => decline.round_id)).toEqual(['round-2']);
  });

  it('charts the ε spent per round; the overview lists what needs attention', async () => {
    await open('Privacy');
    await expect.poll(() => page.getByTestId('epsilon-chart').getAttribute('data-points')).toBe('1');
    await shoot('privacy');
    await open('Overview');
    // ε ≈ 0.956 of 8 spent: no alert is due, and rounds from the test coordinator are no enrolment.
    await expect.poll(() => page.getByTestId('no-alerts').count()).toBe(1);
    await shoot('overview');
    await open('Settings');
    await expect.poll(() => page.getByLabel('Compute device for training').count()).toBe(1);
    await shoot('settings');
    expect(pageErrors).toEqual([]);
  });
});
