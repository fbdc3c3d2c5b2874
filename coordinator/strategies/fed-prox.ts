/**
 * FedProx (Li et al. 2020). The server side is FedAvg; what differs is local: each participant adds the
 * proximal gradient μ·(w − w_global) (engine/optim/proximal-term.ts), with μ sent in the round's config.
 */
import { FedAvg } from './fed-avg.ts';

export { addProximalGradient, addProximalGradients, proximalTerm } from '../../engine/optim/proximal-term.ts';

export class FedProx extends FedAvg {
  override readonly name: string = 'fedprox';
  /** μ, the proximal coefficient participants apply. */
  readonly proximalMu: number;

  constructor(options: { proximalMu: number }) {
    super();
    this.proximalMu = options.proximalMu;
  }
}
