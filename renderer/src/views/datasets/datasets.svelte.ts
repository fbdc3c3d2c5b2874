/**
 * The Datasets view's state: the registered datasets, and the registration form with its preview of the
 * file's first rows, column mapping and the file's problems (file, line, field).
 */
import type { DatasetPreview, DatasetView, ParticipantApi } from '../../../../preload/contract.ts';
import { errorMessage, parseFileProblems, type FileProblem } from '../../lib/format.ts';

type DatasetsApi = Pick<
  ParticipantApi,
  'datasets.list' | 'datasets.preview' | 'datasets.pick' | 'datasets.add' | 'datasets.remove' | 'datasets.reconfirm'
>;
export type DatasetFormat = DatasetView['format'];

const formatsByExtension: Record<string, DatasetFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  parquet: 'parquet',
};

export function formatFromPath(path: string): DatasetFormat | undefined {
  return formatsByExtension[path.split('.').pop()?.toLowerCase() ?? ''];
}

export function nameFromPath(path: string): string {
  return (
    path
      .split(/[\\/]/)
      .pop()
      ?.replace(/\.[^.]+$/, '') ?? ''
  );
}

/** Proposes a column for a role from the file's header: exact name first, then common synonyms. */
export function guessColumn(columns: readonly string[], role: 'text' | 'label'): string {
  const synonyms =
    role === 'text' ? ['text', 'sentence', 'review', 'content', 'document'] : ['label', 'sentiment', 'class', 'target'];
  const lower = columns.map((column) => column.toLowerCase());
  for (const name of synonyms) {
    const index = lower.indexOf(name);
    if (index >= 0) return columns[index] ?? '';
  }
  return '';
}

export class DatasetsController {
  readonly api: DatasetsApi;
  datasets = $state<DatasetView[]>([]);
  loadError = $state<string | undefined>(undefined);
  loaded = $state(false);
  name = $state('');
  path = $state('');
  task = $state('sentiment');
  format = $state<DatasetFormat>('csv');
  textColumn = $state('');
  labelColumn = $state('');
  preview = $state<DatasetPreview | undefined>(undefined);
  /** Every problem of the file, from the preview or from a refused registration, in file order. */
  problems = $state<FileProblem[]>([]);
  formError = $state<string | undefined>(undefined);
  status = $state('');
  busy = $state(false);
  canRegister = $derived(this.name.trim() !== '' && this.path.trim() !== '' && this.textColumn !== '' && !this.busy);

  constructor(api: DatasetsApi) {
    this.api = api;
  }

  async load(): Promise<void> {
    try {
      this.datasets = await this.api['datasets.list']({});
      this.loadError = undefined;
    } catch (error) {
      this.loadError = errorMessage(error);
    }
    this.loaded = true;
  }

  /** A new path proposes its file name as the dataset's name, unless the person typed a name of their own. */
  setPath(path: string): void {
    if (!this.name || this.name === nameFromPath(this.path)) this.name = nameFromPath(path);
    this.path = path;
    this.format = formatFromPath(path) ?? this.format;
    this.preview = undefined;
  }

  /** Desktop: the native file dialog picks the file (and allows its folder), then its preview is shown. */
  async pickFile(): Promise<void> {
    this.#clearErrors();
    try {
      const { path } = await this.api['datasets.pick']({});
      if (path === null) return;
      this.setPath(path);
    } catch (error) {
      this.#fail(error);
      return;
    }
    await this.loadPreview();
  }

  async loadPreview(): Promise<void> {
    this.#clearErrors();
    try {
      const preview = await this.api['datasets.preview']({ path: this.path.trim(), format: this.format });
      this.preview = preview;
      this.textColumn = this.textColumn || guessColumn(preview.columns, 'text');
      this.labelColumn = this.labelColumn || guessColumn(preview.columns, 'label');
      this.problems = preview.issues;
    } catch (error) {
      this.preview = undefined;
      this.#fail(error);
    }
  }

  async register(): Promise<DatasetView | undefined> {
    this.#clearErrors();
    this.busy = true;
    const columns: Record<string, string> = { text: this.textColumn };
    if (this.labelColumn) columns.label = this.labelColumn;
    try {
      const registration = { name: this.name.trim(), path: this.path.trim(), task: this.task, format: this.format };
      const dataset = await this.api['datasets.add']({ ...registration, columns });
      this.status = `Registered ${dataset.name}: ${dataset.stats.rows} rows checked.`;
      this.#resetForm();
      await this.load();
      return dataset;
    } catch (error) {
      this.#fail(error);
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  async remove(id: string): Promise<void> {
    await this.#act(async () => {
      await this.api['datasets.remove']({ id });
      this.status = 'Dataset removed; its privacy ledger is kept.';
    });
  }

  async reconfirm(id: string): Promise<void> {
    await this.#act(async () => {
      const dataset = await this.api['datasets.reconfirm']({ id });
      this.status = `Re-confirmed ${dataset.name} as it is now.`;
    });
  }

  async #act(action: () => Promise<void>): Promise<void> {
    this.#clearErrors();
    try {
      await action();
      await this.load();
    } catch (error) {
      this.#fail(error);
    }
  }

  #fail(error: unknown): void {
    const message = errorMessage(error);
    const problems = parseFileProblems(message);
    this.problems = problems ?? [];
    this.formError = problems ? undefined : message;
  }

  /** The first problem: the one the file is named by. */
  get problem(): FileProblem | undefined {
    return this.problems[0];
  }

  #clearErrors(): void {
    this.problems = [];
    this.formError = undefined;
    this.status = '';
  }

  #resetForm(): void {
    this.name = '';
    this.path = '';
    this.textColumn = '';
    this.labelColumn = '';
    this.preview = undefined;
  }
}
