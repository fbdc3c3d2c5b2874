/**
 * The audit log's anchor outside the database: the head (last sequence number and hash) of the committed
 * chain, kept in the OS keychain. The chain alone cannot show that its newest entries were deleted and
 * `audit_head` moved back, and a MAC over the head would not either (an older head and its MAC can be put
 * back). The anchor only moves forward, so someone who can edit the database but not the keychain can no
 * longer shorten or rewrite the log up to the anchored entry unnoticed.
 *
 * The keychain is written just after each commit (it is asynchronous, the chain is not), so the anchor may lag
 * the log by the entries of the last moments before a crash: verification says exactly which entries it covers.
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import type { CredentialStore } from '../keychain/credential-store.ts';

export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

/** One anchor per data folder, so several participant nodes on one machine keep theirs apart. */
export function auditAnchorAccount(home: string): string {
  const folder = createHash('sha256').update(realpathSync(home)).digest('hex').slice(0, 16);
  return `audit.anchor.${folder}`;
}

function parseHead(stored: string | undefined): AuditHead | undefined {
  if (!stored) return undefined;
  const head = JSON.parse(stored) as Partial<AuditHead>;
  if (typeof head.seq !== 'number' || typeof head.hash !== 'string')
    throw new Error('the audit anchor in the keychain is not a {seq, hash} record');
  return { seq: head.seq, hash: head.hash };
}

export class AuditAnchor {
  readonly #store: CredentialStore;
  readonly #account: string;
  readonly #onError: (error: unknown) => void;
  /** Writes run one after another, so a slow older write never lands after a newer one. */
  #writes: Promise<void> = Promise.resolve();

  constructor(store: CredentialStore, account: string, onError: (error: unknown) => void) {
    this.#store = store;
    this.#account = account;
    this.#onError = onError;
  }

  async read(): Promise<AuditHead | undefined> {
    return parseHead(await this.#store.get(this.#account));
  }

  /**
   * Moves the anchor to the committed head `current()` reads when this write's turn comes (never back: a process
   * that read an older head, or a head of the same length, leaves a newer anchor as it is).
   */
  follow(current: () => AuditHead | undefined): void {
    this.#writes = this.#writes
      .then(async () => {
        const head = current();
        if (!head) return;
        const anchored = await this.read();
        if (anchored && anchored.seq >= head.seq) return;
        await this.#store.set(this.#account, JSON.stringify(head));
      })
      .catch(this.#onError);
  }

  /** Resolves when every write asked for so far has landed (or failed and was reported). */
  settled(): Promise<void> {
    return this.#writes;
  }
}
