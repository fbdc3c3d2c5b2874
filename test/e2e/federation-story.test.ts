/**
 * The same UI against a real local federation: a coordinator on 127.0.0.1 (gRPC over TLS) and this participant
 * with its participation loop. The steward enrols with an invitation and the CA certificate in Settings, sees
 * the connection on the Overview, approves round 1 in the browser and finds the coordinator's signed receipt
 * in the audit log, then declines round 2 and sees the coordinator complete it with the other participant (a
 * second node approving by written policy). Identity keys live in an in-memory credential store (no OS
 * keychain in this run).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Coordinator } from '../../coordinator/coordinator.ts';
import { createInvitation, federationPaths } from '../../coordinator/setup/federation-files.ts';
import { createParticipantApi } from '../../main/participant/api/participant-api.ts';
import { startHeadlessServer, type HeadlessServer } from '../../main/headless/server.ts';
import { Participation } from '../../main/participant/participation/participation.ts';
import type { CredentialStore } from '../../main/participant/keychain/credential-store.ts';
import { openParticipantNode, type ParticipantNode } from '../../main/participant/participant-node.ts';
import { startCoordinator, writeTestFederation } from '../coordinator/support/test-federation.ts';
import { launchChromium } from '../support/chromium.ts';
import { PacedTrainer } from '../support/paced-trainer.ts';
import { tempDir, writeSentimentCsv } from '../support/participant-fixtures.ts';

class MemoryCredentialStore implements CredentialStore {
  readonly secrets = new Map<string, string>();
  async get(account: string) {
    return this.secrets.get(account);
  }
  async set(account: string, secret: string) {
    this.secrets.set(account, secret);
  }
  async delete(account: string) {
    return this.secrets.delete(account);
  }
}

const shots = 'test-results/screenshots';
let coordinator: Coordinator;
let address: string;
let invitation: string;
let invite: (note: string) => string;
let caPem: string;
let node: ParticipantNode;
let participation: Participation;
let other: { node: ParticipantNode; participation: Participation } | undefined;
let server: HeadlessServer;
let browser: Browser;
let page: Page;

async function open(view: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: new RegExp(`^${view}`) })
    .click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(view);
}

/** A participant node with one sentiment dataset and a budget, taking part through its participation loop. */
async function participant(): Promise<{ node: ParticipantNode; participation: Participation }> {
  const home = tempDir('accord-ui-federation-');
  const opened = openParticipantNode({ home, credentials: new MemoryCredentialStore() });
  const dataset = await opened.datasets.register({
    name: 'reviews',
    path: writeSentimentCsv(home, 'reviews.csv', 20),
    task: 'sentiment',
    format: 'csv',
    columns: { text: 'text', label: 'label' },
  });
  opened.ledger.setBudget(dataset.id, 50, 1e-5);
  const started = await Participation.start(opened, { trainer: new PacedTrainer(6, 30), pollWaitSeconds: 1 });
  return { node: opened, participation: started };
}

beforeAll(async () => {
  const config = await writeTestFederation({ participantsPerRound: { min: 1, max: 2 }, rounds: 2 });
  ({ coordinator, address } = await startCoordinator(config));
  invite = (note) => createInvitation(config, 7, note);
  invitation = invite('ui test');
  caPem = readFileSync(federationPaths(config.dataDir).caCertificate, 'utf8');
  ({ node, participation } = await participant());
  server = await startHeadlessServer({ api: createParticipantApi(node, participation), events: node.events });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.setDefaultTimeout(15_000);
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await participation?.close();
  await other?.participation.close();
  node?.close();
  other?.node.close();
  await coordinator?.stop();
});

describe('the UI on a real local federation', () => {
  it('enrols with an invitation and the CA certificate, and shows the connection', async () => {
    await open('Settings');
    await page.getByLabel('Coordinator address').fill(address);
    await page.getByLabel('Invitation token').fill(invitation);
    await page.getByLabel("Coordinator's CA certificate (PEM)").fill(caPem);
    await page.getByRole('button', { name: 'Enrol' }).click();
    await expect.poll(() => page.getByTestId('federations-table').textContent()).toContain('Test consortium');
    await page.screenshot({ path: `${shots}/settings-enrolled.png`, fullPage: true });
    await open('Overview');
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 15_000 }).toMatch(/Connected/);
  });

  it("approves the coordinator's round in the browser and finds its signed receipt in the audit log", async () => {
    await open('Rounds');
    await expect.poll(() => page.getByTestId('approval').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('approval').textContent()).toContain('Test consortium');
    await page.getByTestId('approval').getByRole('button', { name: 'Approve and send' }).click();
    await expect
      .poll(() => page.getByTestId('round-history').textContent(), { timeout: 20_000 })
      .toContain('Sent and receipted');
    await open('Audit');
    await page.getByLabel('Kind').selectOption('upload');
    await expect.poll(() => page.getByTestId('audit-table').locator('tbody tr').count()).toBe(1);
    await open('Overview');
    await page.screenshot({ path: `${shots}/overview-federation.png`, fullPage: true });
  });

  it('declines round 2: nothing is sent, and the coordinator completes it with the other participant', async () => {
    // A second institution joins now, approving by written policy (set before it can receive a round).
    other = await participant();
    other.node.consent.setPolicy(coordinator.context.federationId, { mode: 'auto', limits: {} });
    await other.participation.enrol({
      coordinatorUrl: address,
      invitation: invite('clinic b'),
      caCertificatePem: caPem,
      displayName: 'Clinic B',
    });
    await expect.poll(() => other!.participation.runner.rounds().length, { timeout: 20_000 }).toBe(1);
    await open('Rounds');
    await expect.poll(() => page.getByTestId('approval').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('approval').getByLabel('Comment (kept in the audit log)').fill('not this round');
    await page.getByTestId('approval').getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => page.getByTestId('round-history').textContent()).toContain('Declined');
    const store = coordinator.context.store;
    await expect
      .poll(() => store.rounds().find((round) => round.number === 2)?.state, { timeout: 30_000 })
      .toBe('closed');
    const round2 = store.rounds().find((round) => round.number === 2)!;
    const senders = store.committedUploads(round2.id).map((upload) => upload.participantId);
    const mine = participation.list()[0]!.participantId;
    const theirs = other!.participation.list()[0]!.participantId;
    expect(senders).toEqual([theirs]);
    expect(senders).not.toContain(mine);
    await page.screenshot({ path: `${shots}/rounds-federation.png`, fullPage: true });
  });
});
