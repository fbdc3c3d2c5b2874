/**
 * A model trained from scratch on a small dataset needs embeddings only for the tokens it will see. This maps
 * a tokenizer's ids (30k for BERT's WordPiece) onto dense ids for the tokens seen at least `minCount` times in
 * the training split: 0 = padding, 1 = unknown, then by descending count (ties by tokenizer id), so the same
 * data always gives the same vocabulary. It is saved with the checkpoint so evaluation maps text the same way.
 */
export const paddingId = 0;
export const unknownId = 1;

export class CompactVocabulary {
  /** Tokenizer id of each compact id from 2 on. */
  readonly tokenizerIds: readonly number[];
  private readonly lookup: ReadonlyMap<number, number>;

  constructor(tokenizerIds: readonly number[]) {
    this.tokenizerIds = [...tokenizerIds];
    this.lookup = new Map(this.tokenizerIds.map((id, index) => [id, index + 2]));
    if (this.lookup.size !== this.tokenizerIds.length) throw new Error('compact vocabulary lists a token twice');
  }

  static fromSequences(sequences: Iterable<readonly number[]>, minCount = 1): CompactVocabulary {
    const counts = new Map<number, number>();
    for (const ids of sequences) for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    const kept = [...counts].filter(([, count]) => count >= minCount);
    kept.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    return new CompactVocabulary(kept.map(([id]) => id));
  }

  get size(): number {
    return this.tokenizerIds.length + 2;
  }

  map(ids: readonly number[]): number[] {
    return ids.map((id) => this.lookup.get(id) ?? unknownId);
  }
}
