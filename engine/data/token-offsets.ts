/**
 * Character offsets of tokens in the text they came from. `@huggingface/tokenizers` (JS) returns tokens but no
 * offsets, and extractive QA needs them to map an answer span from characters to tokens and back. Offsets are
 * UTF-16 indices into the original text, end exclusive, like String.prototype.slice.
 */
export type Offset = readonly [start: number, end: number];

/** GPT-2's byte-to-unicode table: printable bytes stand for themselves, the others for code points from 256 up. */
function byteLevelDecoder(): Map<string, number> {
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  const decoder = new Map<string, number>();
  let shifted = 0;
  for (let b = 0; b < 256; b += 1) {
    const codePoint = printable(b) ? b : 256 + shifted++;
    decoder.set(String.fromCodePoint(codePoint), b);
  }
  return decoder;
}

const byteDecoder = byteLevelDecoder();
const utf8 = new TextEncoder();

/** For each byte of the text's UTF-8 encoding, the UTF-16 span of the character that byte belongs to. */
function charSpanOfBytes(text: string): { startOf: number[]; endOf: number[] } {
  const startOf: number[] = [];
  const endOf: number[] = [];
  let index = 0;
  for (const char of text) {
    const bytes = utf8.encode(char).length;
    for (let b = 0; b < bytes; b += 1) {
      startOf.push(index);
      endOf.push(index + char.length);
    }
    index += char.length;
  }
  return { startOf, endOf };
}

function tokenBytes(token: string, isAddedToken: boolean): number[] | null {
  if (isAddedToken) return [...utf8.encode(token)];
  const bytes: number[] = [];
  for (const char of token) {
    const byte = byteDecoder.get(char);
    if (byte === undefined) return null;
    bytes.push(byte);
  }
  return bytes;
}

function findBytes(haystack: Uint8Array, needle: readonly number[], from: number): number {
  outer: for (let i = from; i + needle.length <= haystack.length; i += 1) {
    for (let j = 0; j < needle.length; j += 1) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Offsets for byte-level BPE tokens (GPT-2): each token is a run of bytes of the text's UTF-8 encoding. */
export function byteLevelOffsets(
  text: string,
  tokens: readonly string[],
  isAddedToken: (token: string) => boolean,
): Offset[] {
  const encoded = utf8.encode(text);
  const span = charSpanOfBytes(text);
  let cursor = 0;
  return tokens.map((token) => {
    const bytes = tokenBytes(token, isAddedToken(token));
    const at = bytes === null || bytes.length === 0 ? -1 : findBytes(encoded, bytes, cursor);
    if (bytes === null || at < 0) {
      const here = span.startOf[cursor] ?? text.length;
      return [here, here] as const;
    }
    cursor = at + bytes.length;
    // A token that starts or ends inside a multi-byte character covers that whole character.
    return [span.startOf[at] ?? text.length, span.endOf[cursor - 1] ?? text.length] as const;
  });
}

interface NormalizedText {
  text: string;
  /** For each normalized UTF-16 unit, the original span it came from. */
  startOf: number[];
  endOf: number[];
}

/** Normalizes character by character so that every normalized unit knows which original character it came from. */
function normalizeWithMap(text: string, normalize: (s: string) => string): NormalizedText {
  const parts: string[] = [];
  const startOf: number[] = [];
  const endOf: number[] = [];
  let index = 0;
  for (const char of text) {
    const piece = normalize(char);
    parts.push(piece);
    for (let k = 0; k < piece.length; k += 1) {
      startOf.push(index);
      endOf.push(index + char.length);
    }
    index += char.length;
  }
  return { text: parts.join(''), startOf, endOf };
}

const isSpace = (char: string | undefined) => char !== undefined && /\s/u.test(char);
// BERT's definition: ASCII symbols count as punctuation, as does every Unicode P* character.
const isPunctuation = (char: string) => /[!-/:-@[-`{-~]|\p{P}/u.test(char);

/** Length of the pre-token (word) at `at`: one punctuation character, or a run up to a space or punctuation. */
function wordLength(text: string, at: number): number {
  const first = text[at];
  if (first === undefined) return 0;
  if (isPunctuation(first)) return 1;
  let end = at;
  while (end < text.length && !isSpace(text[end]) && !isPunctuation(text[end] ?? ' ')) end += 1;
  return end - at;
}

export interface WordPieceAlignment {
  normalize: (s: string) => string;
  continuingPrefix: string;
  unknownToken: string;
  isAddedToken: (token: string) => boolean;
}

/** Offsets for WordPiece tokens (BERT): match each token's text in the normalized text, left to right. */
export function wordPieceOffsets(text: string, tokens: readonly string[], options: WordPieceAlignment): Offset[] {
  const normalized = normalizeWithMap(text, options.normalize);
  const original = (start: number, end: number): Offset =>
    end <= start
      ? [normalized.startOf[start] ?? text.length, normalized.startOf[start] ?? text.length]
      : [normalized.startOf[start] ?? text.length, normalized.endOf[end - 1] ?? text.length];
  let cursor = 0;
  return tokens.map((token) => {
    while (isSpace(normalized.text[cursor])) cursor += 1;
    // An unknown word becomes one unknown token, unless the text spells the unknown token out itself.
    const literal = options.isAddedToken(token) && normalized.text.startsWith(options.normalize(token), cursor);
    if (token === options.unknownToken && !literal) {
      const start = cursor;
      cursor += wordLength(normalized.text, cursor);
      return original(start, cursor);
    }
    const piece =
      !options.isAddedToken(token) && token.startsWith(options.continuingPrefix) && token !== options.continuingPrefix
        ? token.slice(options.continuingPrefix.length)
        : token;
    const needle = options.isAddedToken(token) ? options.normalize(piece) : piece;
    const at = normalized.text.startsWith(needle, cursor) ? cursor : normalized.text.indexOf(needle, cursor);
    if (at < 0 || needle.length === 0) return original(cursor, cursor);
    cursor = at + needle.length;
    return original(at, cursor);
  });
}
