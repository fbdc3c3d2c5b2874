/** Per-round logs: one JSON line per event in <dataDir>/logs/round-<number>.jsonl. */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureOperatorFolder } from '../store/operator-files.ts';

export class RoundLog {
  readonly #dir: string;

  constructor(dataDir: string) {
    this.#dir = join(dataDir, 'logs');
    ensureOperatorFolder(this.#dir);
  }

  event(roundNumber: number, roundId: string, event: string, fields: Record<string, unknown> = {}): void {
    const line = JSON.stringify({ at: new Date().toISOString(), round: roundNumber, roundId, event, ...fields });
    appendFileSync(join(this.#dir, `round-${roundNumber}.jsonl`), `${line}\n`, { mode: 0o600 });
  }
}
