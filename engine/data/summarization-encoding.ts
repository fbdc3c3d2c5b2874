/**
 * Encodes summarization examples for a decoder-only model: the document as a prefix, a separator, then the
 * summary and the end-of-text token. Only the summary's tokens (and the end token) are to be predicted, so the
 * loss is taken on them alone. The default separator is GPT-2's "TL;DR:" prompt (Radford et al. 2019,
 * "Language Models are Unsupervised Multitask Learners", section 3.6).
 */
import type { TextTokenizer } from './tokenizer.ts';

export interface SummarizationEncodingOptions {
  maxLength: number;
  /** Text between document and summary. */
  separator?: string;
  /** Longest summary kept (default: half of maxLength); the document is cut to fit what is left. */
  maxSummaryTokens?: number;
}

export interface CausalLmEncoding {
  ids: number[];
  attentionMask: number[];
  /** 1 where the token is a target: predicted from the tokens before it (summary and end token). */
  targetMask: number[];
  /** Position of the first summary token: generation starts here. */
  summaryStart: number;
  documentTokensDropped: number;
  summaryTokensDropped: number;
}

const defaultSeparator = '\nTL;DR:';

function endToken(tokenizer: TextTokenizer): number {
  const id = tokenizer.specialTokenIds.eos ?? tokenizer.specialTokenIds.sep;
  if (id === undefined) throw new Error('the tokenizer has no end-of-text (or separator) token to end a summary with');
  return id;
}

/** The document and separator, cut so that `room` tokens remain for what follows. */
function prefixIds(tokenizer: TextTokenizer, document: string, separator: string, budget: number) {
  const separatorIds = tokenizer.tokenize(separator).ids;
  const documentIds = tokenizer.tokenize(document).ids;
  const keep = budget - separatorIds.length;
  if (keep < 1)
    throw new Error(`maxLength leaves no room for the document (${budget} tokens for prefix and separator)`);
  return { ids: [...documentIds.slice(0, keep), ...separatorIds], dropped: Math.max(0, documentIds.length - keep) };
}

export function encodeSummarization(
  tokenizer: TextTokenizer,
  document: string,
  summary: string,
  options: SummarizationEncodingOptions,
): CausalLmEncoding {
  const end = endToken(tokenizer);
  const summaryIds = tokenizer.tokenize(` ${summary.trim()}`).ids;
  const maxSummary = Math.min(options.maxSummaryTokens ?? Math.floor(options.maxLength / 2), options.maxLength - 2);
  const keptSummary = summaryIds.slice(0, Math.max(0, maxSummary - 1));
  const target = [...keptSummary, end];
  const prefix = prefixIds(
    tokenizer,
    document,
    options.separator ?? defaultSeparator,
    options.maxLength - target.length,
  );
  const ids = [...prefix.ids, ...target];
  return {
    ids,
    attentionMask: ids.map(() => 1),
    targetMask: ids.map((_, i) => (i >= prefix.ids.length ? 1 : 0)),
    summaryStart: prefix.ids.length,
    documentTokensDropped: prefix.dropped,
    summaryTokensDropped: summaryIds.length - keptSummary.length,
  };
}

/** The prompt for generating a summary: document and separator, leaving `maxNewTokens` for the summary. */
export function summarizationPrompt(
  tokenizer: TextTokenizer,
  document: string,
  options: { maxLength: number; maxNewTokens: number; separator?: string },
): number[] {
  return prefixIds(tokenizer, document, options.separator ?? defaultSeparator, options.maxLength - options.maxNewTokens)
    .ids;
}
