/**
 * Dataset statistics gathered in one streaming pass: example count, label distribution, and length percentiles of
 * each text field in characters and (given a tokenizer) in tokens. Lengths are kept as a histogram, so memory grows
 * with the number of distinct lengths, not with the number of examples.
 */
export interface LengthSummary {
  count: number;
  mean: number;
  min: number;
  max: number;
  /** Nearest-rank percentiles: the smallest length with at least p% of the lengths at or below it. */
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

export class LengthHistogram {
  readonly #counts = new Map<number, number>();
  #total = 0;
  #sum = 0;

  add(length: number): void {
    this.#counts.set(length, (this.#counts.get(length) ?? 0) + 1);
    this.#total += 1;
    this.#sum += length;
  }

  /** Nearest rank: the value at rank ⌈p·n⌉ (1-based) of the sorted lengths. */
  percentile(p: number): number {
    if (this.#total === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.#total));
    let seen = 0;
    for (const length of [...this.#counts.keys()].sort((a, b) => a - b)) {
      seen += this.#counts.get(length) ?? 0;
      if (seen >= rank) return length;
    }
    return Math.max(...this.#counts.keys());
  }

  summary(): LengthSummary {
    const lengths = [...this.#counts.keys()];
    return {
      count: this.#total,
      mean: this.#total === 0 ? 0 : this.#sum / this.#total,
      min: lengths.length ? Math.min(...lengths) : 0,
      max: lengths.length ? Math.max(...lengths) : 0,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p95: this.percentile(95),
      p99: this.percentile(99),
    };
  }
}

export interface DatasetStatistics {
  examples: number;
  /** Examples per label, for tasks with a label. */
  labels?: Record<string, number>;
  /** Per text field: lengths in characters (Unicode code points) and, with a tokenizer, in tokens. */
  lengths: Record<string, { characters: LengthSummary; tokens?: LengthSummary }>;
}

export interface StatisticsOptions {
  /** The text fields to measure (others are ignored). */
  textFields: readonly string[];
  /** Counts tokens of a text, without special tokens (for example `(t) => tokenizer.tokenize(t).ids.length`). */
  countTokens?: (text: string) => number;
}

export class StatisticsCollector {
  readonly #options: StatisticsOptions;
  readonly #labels = new Map<string, number>();
  readonly #characters = new Map<string, LengthHistogram>();
  readonly #tokens = new Map<string, LengthHistogram>();
  #examples = 0;

  constructor(options: StatisticsOptions) {
    this.#options = options;
  }

  add(item: object): void {
    const example = item as Readonly<Record<string, unknown>>;
    this.#examples += 1;
    if (typeof example.label === 'string') this.#labels.set(example.label, (this.#labels.get(example.label) ?? 0) + 1);
    for (const field of this.#options.textFields) {
      const text = example[field];
      if (typeof text !== 'string') continue;
      histogram(this.#characters, field).add([...text].length);
      if (this.#options.countTokens) histogram(this.#tokens, field).add(this.#options.countTokens(text));
    }
  }

  result(): DatasetStatistics {
    const lengths: DatasetStatistics['lengths'] = {};
    for (const [field, characters] of this.#characters) {
      const tokens = this.#tokens.get(field);
      lengths[field] = { characters: characters.summary(), ...(tokens ? { tokens: tokens.summary() } : {}) };
    }
    const labels = [...this.#labels.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { examples: this.#examples, ...(labels.length ? { labels: Object.fromEntries(labels) } : {}), lengths };
  }
}

function histogram(map: Map<string, LengthHistogram>, field: string): LengthHistogram {
  let found = map.get(field);
  if (!found) map.set(field, (found = new LengthHistogram()));
  return found;
}
