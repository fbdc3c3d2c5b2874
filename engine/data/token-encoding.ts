/** Turns tokenized text (one sequence or a pair) into model inputs: special tokens, truncation, padding. */
import type { Offset } from './token-offsets.ts';

export interface EncodeOptions {
  /** Longest encoding, special tokens included. Without it nothing is truncated or padded. */
  maxLength?: number;
  /**
   * How to shorten a pair that does not fit (Hugging Face's strategies): drop tokens from the end of the longer
   * sequence one at a time, or only from the first or second; 'error' throws instead.
   */
  truncation?: 'longest_first' | 'only_first' | 'only_second' | 'error';
  /** 'max_length' pads to maxLength with the pad id and attention mask 0. */
  padding?: 'none' | 'max_length';
}

export interface Encoding {
  ids: number[];
  tokens: string[];
  attentionMask: number[];
  /** Segment ids: 0 for the first text, 1 for the second (BERT's token_type_ids). */
  typeIds: number[];
  /** Which input each token came from: 0, 1, or null for special and padding tokens. */
  sequenceIds: (0 | 1 | null)[];
  /** Character span of each token in the text it came from; [0, 0] for special and padding tokens. */
  offsets: Offset[];
  /** Tokens dropped by truncation. */
  truncatedTokens: number;
}

export type SequenceLayout = (
  { special: string; typeId: number } | { sequence: 0 | 1; index: number; typeId: number }
)[];

interface Tokenized {
  tokens: string[];
  ids: number[];
  offsets: Offset[];
}

export interface Composer {
  layout(lengthA: number, lengthB: number | undefined): SequenceLayout;
  idOf(token: string): number;
  padId: number;
}

/** How many tokens of each sequence to keep so that the total fits. */
function keptLengths(
  a: number,
  b: number | undefined,
  budget: number,
  strategy: NonNullable<EncodeOptions['truncation']>,
): [number, number | undefined] {
  const total = a + (b ?? 0);
  if (total <= budget) return [a, b];
  if (strategy === 'error') throw new Error(`input has ${total} tokens; at most ${budget} fit`);
  if (budget < 0) throw new Error(`maxLength is smaller than the ${-budget} special tokens it must hold`);
  if (b === undefined || strategy === 'only_first') {
    const keepA = budget - (b ?? 0);
    if (keepA < 0) throw new Error(`the second text alone has ${b} tokens; at most ${budget} fit`);
    return [keepA, b];
  }
  if (strategy === 'only_second') {
    if (a > budget) throw new Error(`the first text alone has ${a} tokens; at most ${budget} fit`);
    return [a, budget - a];
  }
  // longest_first: remove one token at a time from the longer sequence, from the second on ties (as the
  // Python tokenizers of transformers do).
  let keepA = a;
  let keepB = b;
  while (keepA + keepB > budget) {
    if (keepA > keepB) keepA -= 1;
    else keepB -= 1;
  }
  return [keepA, keepB];
}

export function composeEncoding(
  first: Tokenized,
  second: Tokenized | undefined,
  options: EncodeOptions,
  composer: Composer,
): Encoding {
  const specials = composer.layout(0, second === undefined ? undefined : 0).length;
  const [keepA, keepB] =
    options.maxLength === undefined
      ? [first.tokens.length, second?.tokens.length]
      : keptLengths(
          first.tokens.length,
          second?.tokens.length,
          options.maxLength - specials,
          options.truncation ?? 'longest_first',
        );
  const sources = [first, second];
  const encoding: Encoding = {
    ids: [],
    tokens: [],
    attentionMask: [],
    typeIds: [],
    sequenceIds: [],
    offsets: [],
    truncatedTokens: first.tokens.length + (second?.tokens.length ?? 0) - keepA - (keepB ?? 0),
  };
  for (const slot of composer.layout(keepA, keepB)) {
    const source = 'sequence' in slot ? sources[slot.sequence] : undefined;
    const token = 'special' in slot ? slot.special : source?.tokens[slot.index];
    if (token === undefined) throw new Error('post-processor referred to a token that does not exist');
    encoding.tokens.push(token);
    encoding.ids.push('special' in slot ? composer.idOf(token) : (source?.ids[slot.index] ?? composer.idOf(token)));
    encoding.attentionMask.push(1);
    encoding.typeIds.push(slot.typeId);
    encoding.sequenceIds.push('sequence' in slot ? slot.sequence : null);
    encoding.offsets.push('sequence' in slot ? (source?.offsets[slot.index] ?? [0, 0]) : [0, 0]);
  }
  if (options.padding === 'max_length' && options.maxLength !== undefined)
    pad(encoding, options.maxLength, composer.padId);
  return encoding;
}

function pad(encoding: Encoding, length: number, padId: number): void {
  while (encoding.ids.length < length) {
    encoding.ids.push(padId);
    encoding.tokens.push('');
    encoding.attentionMask.push(0);
    encoding.typeIds.push(0);
    encoding.sequenceIds.push(null);
    encoding.offsets.push([0, 0]);
  }
}
