/**
 * The part of a participant's registered dataset that federated rounds never train on: a fixed, seeded
 * fifth of its rows, chosen by a hash of each row's content (engine/data/split.ts). Training and the
 * evaluation of each round's global model both split through here, so the two parts stay disjoint on every
 * round, every restart and every machine, whatever order the file lists its rows in.
 */
import { splitOf } from '../data/split.ts';
import type { SplitOptions } from '../data/split.ts';
import type { LabelledText } from './federated-classifier.ts';

export const federatedHeldOutSplit: SplitOptions = {
  validationFraction: 0.2,
  seed: 'accord-federated-held-out-v1',
  by: 'content',
};

export interface FederatedTextParts {
  readonly training: LabelledText[];
  readonly heldOut: LabelledText[];
}

export function splitFederatedTexts(texts: readonly LabelledText[]): FederatedTextParts {
  const parts: FederatedTextParts = { training: [], heldOut: [] };
  texts.forEach((text, index) => {
    const side = splitOf({ text: text.text, label: text.label }, index, federatedHeldOutSplit);
    (side === 'validation' ? parts.heldOut : parts.training).push(text);
  });
  return parts;
}

/** The rows a federated round trains on: everything but the held-out part. */
export function federatedTrainingTexts(texts: readonly LabelledText[]): LabelledText[] {
  return splitFederatedTexts(texts).training;
}
