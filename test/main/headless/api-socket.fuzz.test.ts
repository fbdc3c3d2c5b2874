/**
 * Fuzz, bounded and seeded: every method of the headless API (a real `accord participant serve` process, with
 * its token) gets random payloads and mutations of a well-formed one, and the socket gets frames that are not
 * requests at all. Every answer must be a precise envelope (ok, or bad_request / unknown_method / failed with a
 * message that is not a leaked programming error), a refused request must leave the node's database as it was,
 * and the node must still answer at the end.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { methodNames } from '../../../preload/contract.ts';
import { startHeadlessNode, type HeadlessNodeProcess } from '../../support/headless-node.ts';
import { seededRandom } from '../../support/seeded-random.ts';
import { within } from '../../support/wait-until.ts';

const casesPerMethod = 12;
/** Methods that end or reshape the session rather than answer: not fuzzed here. */
const skipped = new Set<string>(['datasets.pick']);
const programmingErrors = /TypeError|ReferenceError|Cannot read properties|is not a function|undefined is not/;

let node: HeadlessNodeProcess;
let socket: WebSocket;
let nextId = 1;
const replies = new Map<number | null, (reply: Record<string, unknown>) => void>();

beforeAll(async () => {
  node = await startHeadlessNode();
  socket = new WebSocket(`ws://127.0.0.1:${node.url.port}/api${node.url.search}`);
  await within(new Promise((resolve) => socket.once('open', resolve)), 'the API socket opening');
  socket.on('message', (data) => {
    const reply = JSON.parse(data.toString()) as Record<string, unknown>;
    if (!('id' in reply)) return; // an event, not an answer
    const key = reply.id as number | null;
    replies.get(key)?.(reply);
    replies.delete(key);
  });
}, 90_000);
afterAll(async () => {
  socket?.close();
  await node?.stop();
});

function send(frame: string, id: number | null): Promise<Record<string, unknown>> {
  const reply = new Promise<Record<string, unknown>>((resolve) => replies.set(id, resolve));
  socket.send(frame);
  return within(reply, `an answer to ${frame.slice(0, 120)}`);
}

function randomValue(random: () => number, depth = 0): unknown {
  const kind = Math.floor(random() * (depth > 2 ? 5 : 8));
  const text = () =>
    ['', 'x', '../../etc/passwd', 'a'.repeat(300), '\u0000', '1e309', 'NaN'][Math.floor(random() * 7)]!;
  if (kind === 0) return null;
  if (kind === 1) return [0, -1, 1e308, 0.5, 2 ** 53, -0][Math.floor(random() * 6)];
  if (kind === 2) return text();
  if (kind === 3) return random() < 0.5;
  if (kind === 4) return undefined;
  if (kind === 5) return Array.from({ length: Math.floor(random() * 3) }, () => randomValue(random, depth + 1));
  const keys = ['id', 'name', 'path', 'datasetId', 'federationId', 'epsilon', 'delta', 'policy', 'mode', 'limits'];
  return Object.fromEntries(
    Array.from({ length: Math.floor(random() * 4) }, () => [
      keys[Math.floor(random() * keys.length)]!,
      randomValue(random, depth + 1),
    ]),
  );
}

/** Payloads shaped like the contract's common requests, so that mutations of them get past the schemas. */
const wellFormed = [
  { id: 'no-such-id' },
  { datasetId: 'no-such-dataset' },
  { federationId: 'no-such-federation' },
  { datasetId: 'no-such-dataset', epsilon: 1, delta: 1e-5 },
  { contributionId: 'no-such-contribution' },
  { roundKey: 'no-such-federation/round' },
];

function fuzzPayload(random: () => number): unknown {
  if (random() < 0.4) return randomValue(random);
  const base: Record<string, unknown> = { ...wellFormed[Math.floor(random() * wellFormed.length)]! };
  const keys = Object.keys(base);
  if (random() < 0.5) base[keys[Math.floor(random() * keys.length)]!] = randomValue(random);
  return base;
}

function storedRows(): Record<string, number> {
  const db = new Database(join(node.home, 'participant.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    return Object.fromEntries(
      tables.map(({ name }) => [name, (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n]),
    );
  } finally {
    db.close();
  }
}

function expectPreciseAnswer(reply: Record<string, unknown>, what: string): void {
  if (reply.ok === true) return;
  const error = reply.error as { code?: unknown; message?: unknown } | undefined;
  expect([what, error?.code]).toEqual([what, expect.stringMatching(/^(bad_request|unknown_method|failed)$/)]);
  expect(typeof error?.message === 'string' && error.message.length > 0, what).toBe(true);
  expect(String(error?.message), what).not.toMatch(programmingErrors);
}

describe('the headless API under fuzz', () => {
  it('answers every method precisely and stores nothing from a refused request', async () => {
    const random = seededRandom(11);
    const outcomes = new Set<string>();
    for (const method of methodNames.filter((name) => !skipped.has(name))) {
      for (let n = 0; n < casesPerMethod; n += 1) {
        const before = storedRows();
        const id = nextId++;
        const payload = fuzzPayload(random);
        const reply = await send(JSON.stringify({ id, method, payload }), id);
        const what = `${method} ${JSON.stringify(payload)?.slice(0, 200)}`;
        expectPreciseAnswer(reply, what);
        outcomes.add(reply.ok === true ? 'ok' : String((reply.error as { code?: unknown }).code));
        if (reply.ok !== true) expect([what, storedRows()]).toEqual([what, before]);
      }
    }
    // Past the schemas as well as refused by them: the cases reach the handlers.
    expect([...outcomes].sort()).toEqual(expect.arrayContaining(['bad_request', 'failed', 'ok']));
  }, 240_000);

  it('answers frames that are not requests with bad_request, and serves on', async () => {
    const random = seededRandom(12);
    const frames = ['', 'null', '[]', '{"id":"1","method":"app.info"}', '{"method":"app.info"}', '{"id":1}', '{'];
    for (let n = 0; n < 40; n += 1) {
      const frame = n < frames.length ? frames[n]! : (JSON.stringify(randomValue(random)) ?? 'undefined');
      const reply = await send(frame, null);
      expect(reply).toMatchObject({ id: null, ok: false, error: { code: 'bad_request' } });
    }
    const id = nextId++;
    const info = await send(JSON.stringify({ id, method: 'app.info', payload: {} }), id);
    expect(info).toMatchObject({ id, ok: true, value: { name: 'Accord' } });
    expect(node.process.exitCode).toBeNull();
  }, 120_000);
});
