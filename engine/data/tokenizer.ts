/**
 * Text tokenizers loaded from Hugging Face `tokenizer.json` files (WordPiece, byte-level BPE, sentencepiece-style
 * BPE with "▁" for spaces and byte fallback as the Llama family ships them, …) through
 * `@huggingface/tokenizers`, behind a small interface that also gives character offsets, truncation and padding.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { composeEncoding, type EncodeOptions, type Encoding, type SequenceLayout } from './token-encoding.ts';
import { byteLevelOffsets, type Offset, wordPieceOffsets } from './token-offsets.ts';

export type { EncodeOptions, Encoding } from './token-encoding.ts';
export type { Offset } from './token-offsets.ts';

/** One text split into tokens, before special tokens are added. */
export interface TokenizedText {
  tokens: string[];
  ids: number[];
  offsets: Offset[];
}

export interface SpecialTokenIds {
  /** Padding id: the pad token, or the end-of-text token for models that have no pad token (GPT-2). */
  pad: number;
  unk?: number;
  cls?: number;
  sep?: number;
  mask?: number;
  bos?: number;
  eos?: number;
}

export interface TextTokenizer {
  readonly vocabSize: number;
  readonly specialTokenIds: SpecialTokenIds;
  /** The longest input the model was trained with (model_max_length), when the files say. */
  readonly modelMaxLength: number | undefined;
  tokenize(text: string): TokenizedText;
  encode(text: string, pair?: string, options?: EncodeOptions): Encoding;
  /** Adds special tokens, truncates and pads already tokenized text (sliding windows reuse one tokenization). */
  encodeTokenized(first: TokenizedText, second?: TokenizedText, options?: EncodeOptions): Encoding;
  /** How many special tokens encode adds to one text, or to a pair. */
  specialTokenCount(pair: boolean): number;
  decode(ids: readonly number[], options?: { skipSpecialTokens?: boolean }): string;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
}

interface TokenizerJson {
  model: { type: string; unk_token?: string | null; continuing_subword_prefix?: string | null };
  normalizer?: unknown;
  pre_tokenizer?: { type?: string } | null;
  added_tokens?: { id: number; content: string; special?: boolean }[];
}

type TokenizerConfig = Record<string, unknown>;

/**
 * The part of @huggingface/tokenizers' Tokenizer used here. Its type declarations use extensionless relative
 * imports, which TypeScript's node16+ resolution cannot follow, so the types are restated.
 */
interface LibraryTokenizer {
  normalizer: { normalize(text: string): string } | null;
  post_processor: {
    post_process(
      tokens: string[],
      pair: string[] | null,
      addSpecialTokens: boolean,
    ): { tokens: string[]; tokens_pair?: string[]; token_type_ids?: number[] };
  } | null;
  tokenize(text: string, options: { add_special_tokens: boolean }): string[];
  decode(ids: number[], options: { skip_special_tokens: boolean }): string;
  token_to_id(token: string): number | undefined;
  id_to_token(id: number): string | undefined;
  get_vocab(withAddedTokens: boolean): Map<string, number>;
}

function tokenName(config: TokenizerConfig, key: string): string | undefined {
  const value = config[key];
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && 'content' in value && typeof value.content === 'string')
    return value.content;
  return undefined;
}

const conventionalNames = {
  pad_token: ['[PAD]', '<pad>', '<|padding|>'],
  unk_token: ['[UNK]', '<unk>', '<|endoftext|>'],
  cls_token: ['[CLS]', '<s>'],
  sep_token: ['[SEP]', '</s>'],
  mask_token: ['[MASK]', '<mask>'],
  bos_token: ['<s>', '<|endoftext|>', '<|begin_of_text|>'],
  eos_token: ['</s>', '<|endoftext|>', '<|end_of_text|>'],
} as const;

class HuggingFaceTokenizer implements TextTokenizer {
  readonly vocabSize: number;
  readonly specialTokenIds: SpecialTokenIds;
  readonly modelMaxLength: number | undefined;
  readonly #inner: LibraryTokenizer;
  readonly #json: TokenizerJson;
  readonly #addedTokens: Set<string>;

  constructor(json: TokenizerJson, config: TokenizerConfig) {
    this.#inner = new Tokenizer(json, config) as unknown as LibraryTokenizer;
    this.#json = json;
    this.#addedTokens = new Set((json.added_tokens ?? []).map((token) => token.content));
    this.vocabSize = Math.max(...this.#inner.get_vocab(true).values()) + 1;
    // tokenizer_config.json names the special tokens; without it, fall back on the usual spellings.
    const id = (key: keyof typeof conventionalNames) => {
      const name = tokenName(config, key);
      if (name !== undefined) return this.#inner.token_to_id(name);
      const found = conventionalNames[key].find((candidate) => this.#addedTokens.has(candidate));
      return found === undefined ? undefined : this.#inner.token_to_id(found);
    };
    const eos = id('eos_token');
    const pad = id('pad_token') ?? eos;
    if (pad === undefined) throw new Error('tokenizer has neither a pad_token nor an eos_token to pad with');
    this.specialTokenIds = {
      pad,
      unk: id('unk_token'),
      cls: id('cls_token'),
      sep: id('sep_token'),
      mask: id('mask_token'),
      bos: id('bos_token'),
      eos,
    };
    const maxLength = config.model_max_length;
    this.modelMaxLength = typeof maxLength === 'number' && maxLength < 1e9 ? maxLength : undefined;
  }

  tokenize(text: string): TokenizedText {
    const tokens = text.length === 0 ? [] : this.#inner.tokenize(text, { add_special_tokens: false });
    const ids = tokens.map((token) => this.#idOf(token));
    return { tokens, ids, offsets: this.#offsets(text, tokens) };
  }

  encode(text: string, pair?: string, options: EncodeOptions = {}): Encoding {
    return this.encodeTokenized(this.tokenize(text), pair === undefined ? undefined : this.tokenize(pair), options);
  }

  encodeTokenized(first: TokenizedText, second?: TokenizedText, options: EncodeOptions = {}): Encoding {
    return composeEncoding(first, second, options, {
      layout: (a, b) => this.#layout(a, b),
      idOf: (token) => this.#idOf(token),
      padId: this.specialTokenIds.pad,
    });
  }

  specialTokenCount(pair: boolean): number {
    return this.#layout(0, pair ? 0 : undefined).length;
  }

  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    if (ids.length === 0) return '';
    return this.#inner.decode([...ids], { skip_special_tokens: options.skipSpecialTokens ?? false });
  }

  tokenToId(token: string): number | undefined {
    return this.#inner.token_to_id(token);
  }

  idToToken(id: number): string | undefined {
    return this.#inner.id_to_token(id);
  }

  #idOf(token: string): number {
    const id = this.#inner.token_to_id(token) ?? this.specialTokenIds.unk;
    if (id === undefined) throw new Error(`token "${token}" is not in the vocabulary and there is no unk_token`);
    return id;
  }

  /** Where the post-processor puts each token of A and B and which special tokens it adds (marker strings in). */
  #layout(lengthA: number, lengthB: number | undefined): SequenceLayout {
    const marker = (sequence: 'A' | 'B', index: number) => `\u0000${sequence}${index}`;
    const a = Array.from({ length: lengthA }, (_, i) => marker('A', i));
    const b = lengthB === undefined ? null : Array.from({ length: lengthB }, (_, i) => marker('B', i));
    const processor = this.#inner.post_processor;
    const out = processor ? processor.post_process(a, b, true) : { tokens: [...a, ...(b ?? [])] };
    // The ByteLevel post-processor hands the pair back separately instead of appending it.
    const tokens = out.tokens_pair ? [...out.tokens, ...out.tokens_pair] : out.tokens;
    return tokens.map((token, position) => {
      const typeId = out.token_type_ids?.[position] ?? (token.startsWith('\u0000B') ? 1 : 0);
      if (!token.startsWith('\u0000')) return { special: token, typeId };
      return { sequence: token[1] === 'A' ? 0 : 1, index: Number(token.slice(2)), typeId };
    });
  }

  #offsets(text: string, tokens: readonly string[]): Offset[] {
    const isAdded = (token: string) => this.#addedTokens.has(token);
    if (this.#json.pre_tokenizer?.type === 'ByteLevel') return byteLevelOffsets(text, tokens, isAdded);
    if (JSON.stringify([this.#json.normalizer, this.#json.pre_tokenizer]).includes('\u2581'))
      return metaspaceOffsets(text, tokens);
    const normalizer = this.#inner.normalizer;
    return wordPieceOffsets(text, tokens, {
      normalize: (s) => (normalizer ? normalizer.normalize(s) : s),
      continuingPrefix: this.#json.model.continuing_subword_prefix ?? '##',
      unknownToken: this.#json.model.unk_token ?? '[UNK]',
      isAddedToken: isAdded,
    });
  }
}

const byteToken = /^<0x([0-9A-F]{2})>$/;

/** How many UTF-8 bytes a character whose lead byte this is takes. */
const utf8Length = (lead: number) => (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1);

/**
 * Offsets of sentencepiece-style tokens, which spell a space "▁" (and one "▁" is prepended to the text) and fall
 * back to "<0xNN>" byte tokens for characters outside the vocabulary. A token's leading "▁" is left out of its
 * span; each byte token spans the character it completes (empty until then).
 */
function metaspaceOffsets(text: string, tokens: readonly string[]): Offset[] {
  const normalized = `\u2581${text.replaceAll(' ', '\u2581')}`;
  const toText = (index: number) => Math.max(0, Math.min(text.length, index - 1));
  let [cursor, pendingBytes, charStart] = [0, 0, 0];
  return tokens.map((token): Offset => {
    const byte = byteToken.exec(token);
    if (byte) {
      if (pendingBytes === 0) [charStart, pendingBytes] = [cursor, utf8Length(Number.parseInt(byte[1]!, 16))];
      pendingBytes -= 1;
      if (pendingBytes === 0) cursor += (normalized.codePointAt(cursor) ?? 0) > 0xffff ? 2 : 1;
      return [toText(charStart), toText(Math.max(cursor, charStart))];
    }
    const start = token.startsWith('\u2581') ? cursor + 1 : cursor;
    cursor = Math.min(normalized.length, cursor + token.length);
    return [toText(start), toText(cursor)];
  });
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read tokenizer file ${file}: ${reason}`, { cause: error });
  }
}

/** Loads `tokenizer.json` (a path to it or to its folder) and, when beside it, `tokenizer_config.json`. */
export function loadTokenizer(path: string): TextTokenizer {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'tokenizer.json') : path;
  const json = readJson(file) as TokenizerJson;
  if (typeof json !== 'object' || json === null || typeof json.model?.type !== 'string')
    throw new Error(`${file} is not a Hugging Face tokenizer.json (no model.type)`);
  const configFile = join(dirname(file), 'tokenizer_config.json');
  const config = existsSync(configFile) ? (readJson(configFile) as TokenizerConfig) : {};
  return new HuggingFaceTokenizer(json, config);
}

/** Builds a tokenizer from already parsed tokenizer.json and tokenizer_config.json objects. */
export function tokenizerFromJson(json: object, config: TokenizerConfig = {}): TextTokenizer {
  return new HuggingFaceTokenizer(json as TokenizerJson, config);
}
