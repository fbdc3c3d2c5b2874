/**
 * The Audit view's state: the log (newest first) with filters by kind and date, verification of the
 * hash chain naming the first broken entry, and export to a file.
 */
import type {
  AuditEntryView,
  AuditExportFile,
  AuditVerificationView as Verification,
  ParticipantApi,
} from '../../../../preload/contract.ts';
import { errorMessage } from '../../lib/format.ts';
import { unique } from '../../lib/unique.ts';

type AuditApi = Pick<ParticipantApi, 'audit.entries' | 'audit.verify' | 'audit.export'>;

/** Reads the whole log in pages of 1000 (the contract's limit per call). */
async function readAll(api: AuditApi): Promise<AuditEntryView[]> {
  const all: AuditEntryView[] = [];
  for (;;) {
    const page = await api['audit.entries']({ fromSeq: (all.at(-1)?.seq ?? 0) + 1, limit: 1000 });
    all.push(...page);
    if (page.length < 1000) return all;
  }
}

export function verificationText(result: Verification): string {
  if (result.ok) return `The log is intact: all ${result.entries} entries verify. ${result.coverage}`;
  const first = result.problems[0];
  if (!first) return 'The log does not verify.';
  return `The log was altered at entry ${first.seq} (${first.problem}): ${first.message}`;
}

export class AuditController {
  readonly api: AuditApi;
  entries = $state<AuditEntryView[]>([]);
  kind = $state('');
  from = $state('');
  to = $state('');
  loaded = $state(false);
  error = $state<string | undefined>(undefined);
  verification = $state<Verification | undefined>(undefined);
  verifying = $state(false);
  kinds = $derived(unique(this.entries.map((entry) => entry.kind)).sort());
  filtered = $derived(
    this.entries
      .filter((entry) => !this.kind || entry.kind === this.kind)
      .filter((entry) => !this.from || entry.at.slice(0, 10) >= this.from)
      .filter((entry) => !this.to || entry.at.slice(0, 10) <= this.to)
      .reverse(),
  );

  constructor(api: AuditApi) {
    this.api = api;
  }

  async load(): Promise<void> {
    try {
      this.entries = await readAll(this.api);
      this.error = undefined;
    } catch (error) {
      this.error = errorMessage(error);
    }
    this.loaded = true;
  }

  async verify(): Promise<void> {
    this.verifying = true;
    try {
      this.verification = await this.api['audit.verify']({});
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.verifying = false;
    }
  }

  clearFilters(): void {
    this.kind = '';
    this.from = '';
    this.to = '';
  }

  async exportLog(format: 'json' | 'html', save: (file: AuditExportFile) => void): Promise<void> {
    try {
      save(await this.api['audit.export']({ format }));
    } catch (error) {
      this.error = errorMessage(error);
    }
  }
}
