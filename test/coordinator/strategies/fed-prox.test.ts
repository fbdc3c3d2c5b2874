import { describe, expect, it } from 'vitest';
import { FedProx, addProximalGradient } from '../../../coordinator/strategies/fed-prox.ts';
import { FedAvg } from '../../../coordinator/strategies/fed-avg.ts';
import { flat, initialGlobal, resultsForRound, setOf } from './fixtures.ts';

describe('FedProx', () => {
  it('aggregates on the server exactly as FedAvg does', () => {
    const global = setOf(initialGlobal);
    const prox = new FedProx({ proximalMu: 0.1 }).aggregate(global, resultsForRound(1), 1);
    expect(flat(prox)).toEqual(flat(new FedAvg().aggregate(global, resultsForRound(1), 1)));
  });

  it('exposes mu for the participants and re-exports the proximal gradient the engine applies', () => {
    expect(new FedProx({ proximalMu: 0.1 }).proximalMu).toBe(0.1);
    expect(typeof addProximalGradient).toBe('function');
  });
});
