/** Per-round logs: one JSON line per event in <dataDir>/logs/round-<number>.jsonl. */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export class RoundLog {
  readonly #dir: string;

  constructor(dataDir: string) {
    this.#dir = join(dataDir, 'logs');
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
  }

  event(roundNumber: number, roundId: string, event: string, fields: Record<string, unknown> = {}): void {
    const line = JSON.stringify({ at: new Date().toISOString(), round: roundNumber, roundId, event, ...fields });
    appendFileSync(join(this.#dir, `round-${roundNumber}.jsonl`), `${line}\n`, { mode: 0o600 });
  }
}
