/**
 * A tiny Llama-style tokenizer.json (the layout of Llama 2, TinyLlama and SmolLM's sentencepiece conversions):
 * BPE with byte fallback, a normalizer that prepends "▁" and turns spaces into "▁", no pre-tokenizer, <s> added
 * in front by the post-processor, a decoder that undoes all of it.
 */
const words = ['the', 'cat', 'sat', 'on', 'mat', 'good', 'bad', 'film', 'great', 'awful'];

function vocabulary(): { vocab: Record<string, number>; merges: string[] } {
  const vocab: Record<string, number> = { '<unk>': 0, '<s>': 1, '</s>': 2 };
  for (let byte = 0; byte < 256; byte += 1) vocab[`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`] = 3 + byte;
  const merges: string[] = [];
  const add = (token: string) => (vocab[token] ??= Object.keys(vocab).length);
  for (const char of '▁abcdefghijklmnopqrstuvwxyz') add(char);
  for (const word of words) {
    let piece = '▁';
    for (const char of word) {
      merges.push(`${piece} ${char}`);
      piece += char;
      add(piece);
    }
  }
  return { vocab, merges: [...new Set(merges)] };
}

const special = (id: number, content: string) => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

export function llamaTokenizerJson(): object {
  const { vocab, merges } = vocabulary();
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>')],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: '▁' },
        { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '<s>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '<s>', type_id: 1 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      vocab,
      merges,
    },
  };
}

export const llamaTokenizerVocabSize = Object.keys(vocabulary().vocab).length;
