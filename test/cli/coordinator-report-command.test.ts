/**
 * `accord coordinator status` and `report` on a stopped coordinator's folder: a real configuration and store
 * holding rounds, who took part and per-site figures. The expected means are computed here from the figures
 * written (weighted by each site's examples), the page is opened in Chromium and read through its DOM.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { federationPaths } from '../../coordinator/setup/federation-files.ts';
import { CoordinatorStore } from '../../coordinator/store/coordinator-store.ts';
import { coordinatorSite, recordSiteMetrics, siteMetrics } from '../../coordinator/store/evaluation-metrics.ts';
import type { SiteMetric } from '../../coordinator/store/evaluation-metrics.ts';
import { formatFigure } from '../../coordinator/reports/status-text.ts';
import { writeTestFederationFile } from '../coordinator/support/test-federation.ts';
import { launchChromium } from '../support/chromium.ts';
import { seededRandom } from '../support/seeded-random.ts';

const accord = fileURLToPath(new URL('../../bin/accord.js', import.meta.url));
const run = (...args: string[]) =>
  execFileSync(process.execPath, [accord, 'coordinator', ...args], { encoding: 'utf8', stdio: 'pipe' });

const sites = [
  { id: 'p-clinic', name: 'Clinic' },
  { id: 'p-bank', name: 'Bank' },
  { id: 'p-agency', name: 'Agency' },
];
/** Participants' figures for rounds 1 and 2, the agency declined round 2; the coordinator's for rounds 1 and 3. */
const roundsWithFigures = [1, 2];
const coordinatorRounds = [1, 3];

async function federationWithFigures() {
  const { config, configPath } = await writeTestFederationFile();
  const store = new CoordinatorStore(federationPaths(config.dataDir).database);
  const random = seededRandom(42);
  for (const site of sites)
    store.enrol('', { id: site.id, publicKey: Buffer.from(site.id), displayName: site.name, enrolledAt: 'now' });
  for (const number of [1, 2, 3]) {
    const id = `round-${number}`;
    const state = number === 3 ? 'collecting' : 'closed';
    store.insertRound({
      ...{
        id,
        number,
        state,
        openedAt: number,
        deadlineAt: number + 100,
        modelPath: 'm',
        modelSha256: 'ab'.repeat(32),
      },
      ...{ modelBytes: 1, outcome: number === 3 ? null : 'aggregated', closedAt: number === 3 ? null : number + 1 },
    });
    for (const site of sites) {
      const declined = number === 2 && site.id === 'p-agency';
      store.setAssignment(id, site.id, declined ? 'declined' : number === 3 ? 'assigned' : 'committed');
      if (!roundsWithFigures.includes(number) || declined) continue;
      const figures = ['accuracy', 'macroF1', 'loss'].map((metric) => ({ task: 'sentiment', metric, value: random() }));
      const examples = { task: 'sentiment', metric: 'examples', value: 20 + Math.floor(random() * 200) };
      recordSiteMetrics(store.db, id, site.id, [...figures, examples]);
    }
    if (coordinatorRounds.includes(number)) {
      const figures = ['accuracy', 'loss'].map((metric) => ({ task: 'sentiment', metric, value: random() }));
      recordSiteMetrics(store.db, id, coordinatorSite, [
        ...figures,
        { task: 'sentiment', metric: 'examples', value: 80 },
      ]);
    }
  }
  const stored = siteMetrics(store.db);
  store.close();
  return { config, configPath, stored };
}

/** The example-weighted mean of a metric over the sites that reported in a round, from the stored figures. */
function weightedMean(stored: readonly SiteMetric[], round: number, metric: string): number {
  const inRound = stored.filter((figure) => figure.roundNumber === round && figure.site !== coordinatorSite);
  const examplesOf = (site: string) => inRound.find((f) => f.site === site && f.metric === 'examples')!.value;
  const values = inRound.filter((figure) => figure.metric === metric);
  const total = values.reduce((sum, figure) => sum + examplesOf(figure.site), 0);
  return values.reduce((sum, figure) => sum + examplesOf(figure.site) * figure.value, 0) / total;
}

/** The rows of the text table printed under the line containing `title`, keyed by its header. */
function tableAfter(text: string, title: string): Record<string, string>[] {
  const lines = text.split('\n');
  const at = lines.findIndex((line) => line.includes(title));
  const [header = '', ...rest] = lines.slice(at + 1);
  const names = header.trim().split(/\s{2,}/);
  const rows = rest.slice(
    0,
    rest.findIndex((line) => !line.startsWith('  ')),
  );
  return rows.map((line) =>
    Object.fromEntries(
      line
        .trim()
        .split(/\s{2,}/)
        .map((cell, i) => [names[i], cell]),
    ),
  );
}

let federation: Awaited<ReturnType<typeof federationWithFigures>>;
let browser: Browser;
beforeAll(async () => {
  federation = await federationWithFigures();
  browser = await launchChromium();
});
afterAll(() => browser?.close());

describe('accord coordinator status', () => {
  it('prints the job, who took part in each round, and the weighted mean and per-site figures', () => {
    const text = run('status', '--config', federation.configPath);
    const parameters = federation.config.model.spec.reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
    expect(text).toContain(`${federation.config.model.spec.length} tensors, ${parameters} parameters`);
    expect(text).toMatch(/task\s+sentiment/);
    expect(text).toMatch(/strategy\s+fedavg/);
    expect(text).toMatch(/^ {2}1\s+closed\s+aggregated\s+3\s+3\s+0$/m);
    expect(text).toMatch(/^ {2}2\s+closed\s+aggregated\s+3\s+2\s+1$/m);
    expect(text).toMatch(/^ {2}3\s+collecting\s+—\s+3\s+0\s+0$/m);
    const ownTable = tableAfter(text, "on the coordinator's test set");
    expect(ownTable.map((row) => Number(row.round))).toEqual(coordinatorRounds);
    for (const row of ownTable) {
      const own = federation.stored.filter((f) => f.site === coordinatorSite && f.roundNumber === Number(row.round));
      for (const figure of own) expect(row[figure.metric]).toBe(formatFigure(figure.metric, figure.value));
    }
    const meanTable = tableAfter(text, 'example-weighted mean over the participants');
    expect(meanTable.map((row) => Number(row.round))).toEqual(roundsWithFigures);
    for (const row of meanTable)
      for (const metric of ['accuracy', 'macroF1', 'loss'])
        expect(row[metric]).toBe(weightedMean(federation.stored, Number(row.round), metric).toFixed(4));
    const clinicRound1 = federation.stored.find(
      (f) => f.site === 'p-clinic' && f.roundNumber === 1 && f.metric === 'loss',
    );
    expect(text).toContain(clinicRound1!.value.toFixed(4));
  });

  it('names the missing store instead of creating one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-uninitialised-'));
    const configPath = join(dir, 'coordinator.json');
    copyFileSync(federation.configPath, configPath);
    expect(() => run('status', '--config', configPath)).toThrow(/no coordinator store at .*accord coordinator init/);
    expect(existsSync(join(dir, 'data', 'coordinator.sqlite'))).toBe(false);
  });
});

describe('accord coordinator report', () => {
  it('writes a page that fetches nothing, one chart point per round with figures, tables equal to the store', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'accord-report-')), 'report');
    expect(run('report', '--config', federation.configPath, '--out', out)).toContain('index.html');
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const url = pathToFileURL(join(out, 'index.html')).href;
    await page.goto(url);
    expect(requests).toEqual([url]);

    for (const metric of ['accuracy', 'macroF1', 'loss', 'examples']) {
      const points = await page
        .locator(`figure[data-source="participants"][data-metric="${metric}"] circle.point`)
        .evaluateAll((circles) =>
          circles.map((circle) => ({
            round: Number(circle.getAttribute('data-round')),
            value: Number(circle.getAttribute('data-value')),
          })),
        );
      expect(points.map((point) => point.round)).toEqual(roundsWithFigures);
      if (metric !== 'examples')
        for (const point of points)
          expect(point.value).toBeCloseTo(weightedMean(federation.stored, point.round, metric), 12);
    }
    const siteCells = await page.locator('#sites-sentiment td[data-site]').evaluateAll((cells) =>
      cells.map((cell) => ({
        round: Number(cell.parentElement?.firstElementChild?.textContent),
        site: cell.getAttribute('data-site'),
        metric: cell.getAttribute('data-metric'),
        value: Number(cell.getAttribute('data-value')),
      })),
    );
    const fromStore = federation.stored
      .filter((f) => f.site !== coordinatorSite)
      .map((f) => ({ round: f.roundNumber, site: f.site, metric: f.metric, value: f.value }));
    const order = (a: { round: number; site: string | null; metric: string | null }) =>
      `${a.round}/${a.site}/${a.metric}`;
    expect([...siteCells].sort((a, b) => order(a).localeCompare(order(b)))).toEqual(
      [...fromStore].sort((a, b) => order(a).localeCompare(order(b))),
    );
    const ownPoints = await page
      .locator('figure[data-source="coordinator"][data-metric="accuracy"] circle.point')
      .evaluateAll((circles) => circles.map((circle) => Number(circle.getAttribute('data-round'))));
    expect(ownPoints).toEqual(coordinatorRounds);
    const ownCells = await page
      .locator('#coordinator-mean-sentiment td[data-metric="loss"]')
      .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-value'))));
    const ownLoss = federation.stored.filter((f) => f.site === coordinatorSite && f.metric === 'loss');
    expect(ownCells).toEqual(ownLoss.map((f) => f.value));
    const roundRows = await page.locator('#rounds tbody tr').count();
    expect(roundRows).toBe(3);
    await page.close();
  }, 60_000);

  it('refuses without --out, saying what is missing', () => {
    expect(() => run('report', '--config', federation.configPath)).toThrow(/--out DIR is required/);
  });
});
