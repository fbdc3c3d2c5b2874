/**
 * Sliding windows over a long context for extractive QA: each window holds the whole question and a slice of
 * the context's tokens, consecutive slices overlapping by `stride` tokens (Hugging Face's doc_stride), so an
 * answer near a window's edge is whole in the next one. For training, each window says where the answer's
 * tokens are in it, or null when the answer is not wholly inside (the model should then predict "no answer").
 */
import type { Encoding, TextTokenizer, TokenizedText } from './tokenizer.ts';

export interface QaWindowOptions {
  maxLength: number;
  /** Tokens shared by consecutive windows. */
  stride: number;
  padding?: 'none' | 'max_length';
}

export interface QaWindow {
  encoding: Encoding;
  /** Index of this window's first context token among all of the context's tokens. */
  contextTokenStart: number;
  /** Positions in `encoding` of the answer's first and last token, when the window holds the whole answer. */
  answerTokens: [start: number, end: number] | null;
}

function slice(text: TokenizedText, start: number, end: number): TokenizedText {
  return {
    tokens: text.tokens.slice(start, end),
    ids: text.ids.slice(start, end),
    offsets: text.offsets.slice(start, end),
  };
}

/** Token positions covering the characters [start, end) of the context, if the window holds all of them. */
export function answerTokenSpan(encoding: Encoding, start: number, end: number): [number, number] | null {
  let first = -1;
  let last = -1;
  let covered = false;
  encoding.offsets.forEach(([tokenStart, tokenEnd], position) => {
    if (encoding.sequenceIds[position] !== 1 || tokenEnd <= tokenStart) return;
    if (tokenStart <= start && start < tokenEnd) covered = true;
    if (tokenEnd > start && tokenStart < end) {
      if (first < 0) first = position;
      last = position;
    }
  });
  const contextOffsets = encoding.offsets.filter((_, position) => encoding.sequenceIds[position] === 1);
  const windowEnd = Math.max(0, ...contextOffsets.map(([, tokenEnd]) => tokenEnd));
  if (first < 0 || !covered || windowEnd < end) return null;
  return [first, last];
}

export function qaWindows(
  tokenizer: TextTokenizer,
  question: string,
  context: string,
  options: QaWindowOptions & { answer?: { start: number; text: string } },
): QaWindow[] {
  const questionTokens = tokenizer.tokenize(question);
  const contextTokens = tokenizer.tokenize(context);
  const room = options.maxLength - tokenizer.specialTokenCount(true) - questionTokens.tokens.length;
  if (room <= options.stride)
    throw new Error(
      `maxLength ${options.maxLength} leaves ${room} context tokens after the question and special tokens; ` +
        `it must leave more than the stride (${options.stride})`,
    );
  const windows: QaWindow[] = [];
  for (let start = 0; ; start += room - options.stride) {
    const end = Math.min(contextTokens.tokens.length, start + room);
    const encoding = tokenizer.encodeTokenized(questionTokens, slice(contextTokens, start, end), {
      maxLength: options.maxLength,
      truncation: 'error',
      padding: options.padding ?? 'none',
    });
    const answer = options.answer;
    const answerTokens =
      answer && answer.text.length > 0
        ? answerTokenSpan(encoding, answer.start, answer.start + answer.text.length)
        : null;
    windows.push({ encoding, contextTokenStart: start, answerTokens });
    if (end >= contextTokens.tokens.length) return windows;
  }
}
