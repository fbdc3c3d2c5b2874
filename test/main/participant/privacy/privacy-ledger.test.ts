import { describe, expect, it } from 'vitest';
import { epsilonFor } from '../../../../engine/privacy/accountant.ts';
import {
  BudgetExceededError,
  PrivacyLedger,
  type DpStepRecord,
} from '../../../../main/participant/privacy/privacy-ledger.ts';
import { openParticipantDatabase } from '../../../../main/participant/store/participant-database.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';

function ledgerWithDataset(budget = 10, delta = 1e-5, accountant?: ConstructorParameters<typeof PrivacyLedger>[1]) {
  const store = openParticipantDatabase(tempDir());
  store.db
    .prepare(
      `INSERT INTO datasets (id, name, path, task, format, columns, sha256, size_bytes, stats, status, registered_at, confirmed_at)
        VALUES ('d1', 'reviews', '/x.csv', 'sentiment', 'csv', '{}', ?, 1, '{}', 'ready', 'now', 'now')`,
    )
    .run('0'.repeat(64));
  const ledger = new PrivacyLedger(store.db, accountant);
  ledger.setBudget('d1', budget, delta);
  return { store, ledger };
}

describe('PrivacyLedger', () => {
  it("composes rounds through the accountant: two halves of Opacus's published run cost its ε", () => {
    // Opacus (and docs/privacy.md): σ = 1.5, q = 0.04, 2250 steps, δ = 1e-5 → ε = 7.32911117143.
    const { ledger } = ledgerWithDataset(8);
    const half: DpStepRecord = { noiseMultiplier: 1.5, sampleRate: 0.04, steps: 1125 };
    ledger.debit('d1', 'fed-a/r1', 'c1', half);
    ledger.debit('d1', 'fed-b/r1', 'c2', half);
    expect(ledger.spent('d1')).toBeCloseTo(7.32911117143, 6);
    const [first, second] = ledger.entries('d1');
    expect(first?.epsilonBefore).toBe(0);
    expect(second?.epsilonBefore).toBeCloseTo(first?.epsilonAfter ?? NaN, 12);
    // RDP composition is tighter than adding the per-round ε's.
    expect(second?.epsilonAfter).toBeLessThan((first?.epsilonRound ?? 0) + (second?.epsilonRound ?? 0));
  });

  it('passes the WHOLE history to the accountant, never only the new round', () => {
    const seen: number[] = [];
    const counting = (history: readonly DpStepRecord[]) => (seen.push(history.length), { epsilon: history.length });
    const { ledger } = ledgerWithDataset(10, 1e-5, counting);
    const step = { noiseMultiplier: 1, sampleRate: 0.1, steps: 5 };
    ledger.debit('d1', 'r1', 'c1', step);
    ledger.debit('d1', 'r2', 'c2', step);
    // Debit 1: the round alone (1 record), history + round (1). An empty history costs nothing and is not asked.
    // Debit 2: the history so far (1), the round alone (1), history + round (2).
    expect(seen).toEqual([1, 1, 1, 1, 2]);
    expect(ledger.spent('d1')).toBe(2);
  });

  it('projects a round before acceptance and refuses one that would exceed the budget, saying why', () => {
    const { ledger } = ledgerWithDataset(1);
    const step = { noiseMultiplier: 0.8, sampleRate: 0.05, steps: 500 };
    const projection = ledger.project('d1', step);
    expect(projection.epsilonAfter).toBeCloseTo(epsilonFor([step], 1e-5).epsilon, 12);
    expect(projection.withinBudget).toBe(false);
    expect(projection.reason).toMatch(
      /budget of dataset d1 would be exceeded: ε after this round would be [\d.]+ > budget 1/,
    );
    expect(() => ledger.debit('d1', 'r1', 'c1', step)).toThrow(BudgetExceededError);
    expect(ledger.entries('d1')).toEqual([]);
  });

  it('keeps entries immutable: SQLite aborts UPDATE and DELETE', () => {
    const { ledger, store } = ledgerWithDataset();
    ledger.debit('d1', 'r1', 'c1', { noiseMultiplier: 1, sampleRate: 0.01, steps: 10 });
    expect(() => store.db.prepare('UPDATE ledger SET steps = 1').run()).toThrow(/ledger entries are immutable/);
    expect(() => store.db.prepare('DELETE FROM ledger').run()).toThrow(/ledger entries are immutable/);
    expect(ledger.entries('d1')).toHaveLength(1);
  });

  it('debits a round only once', () => {
    const { ledger } = ledgerWithDataset();
    const step = { noiseMultiplier: 1, sampleRate: 0.01, steps: 10 };
    ledger.debit('d1', 'r1', 'c1', step);
    expect(() => ledger.debit('d1', 'r1', 'c1', step)).toThrow(/UNIQUE/);
  });

  it('rejects a nonsensical budget with the limit named', () => {
    const { ledger } = ledgerWithDataset();
    expect(() => ledger.setBudget('d1', -1, 1e-5)).toThrow(/ε budget must be a positive number, got -1/);
    expect(() => ledger.setBudget('d1', 1, 1)).toThrow(/δ must be in \(0, 1\), got 1/);
  });
});
