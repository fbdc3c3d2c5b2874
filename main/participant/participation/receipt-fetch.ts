/**
 * Fetches each enrolled federation's receipts for `audit verify`. A coordinator that cannot be reached (or
 * answers too late, or with a receipt that does not verify) never fails the verification: its federation
 * is reported as not fetched, so the local checks still run and the result says what was not witnessed.
 */
import type { UploadReceipt } from '../../../protocol/receipt.ts';
import type { FetchedReceipts } from '../audit/receipt-witness.ts';
import type { GrpcFederationLink } from '../coordinator-client/grpc-federation-link.ts';
import type { EnrolledFederation } from '../enrolment/federation-registry.ts';
import { loadOrCreateIdentityKey } from '../keychain/participant-identity.ts';
import type { ParticipantNode } from '../participant-node.ts';
import { enrolledFederationLink } from './federation-links.ts';

export interface ReceiptLister {
  listReceipts(): Promise<UploadReceipt[]>;
}

/** Long enough for a slow coordinator, short enough that a person waiting on `audit verify` is not left hanging. */
export const receiptFetchTimeoutMs = 15_000;

function withinTime<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function fetchOne(
  federation: EnrolledFederation,
  link: ReceiptLister | undefined,
  timeoutMs: number,
): Promise<FetchedReceipts> {
  const federationId = federation.id;
  if (!link) return { federationId, error: `this process holds no connection to ${federation.coordinator}` };
  try {
    return { federationId, receipts: await withinTime(link.listReceipts(), timeoutMs) };
  } catch (error) {
    return { federationId, error: `${federation.coordinator}: ${(error as Error).message}` };
  }
}

export function fetchEnrolledReceipts(
  federations: readonly EnrolledFederation[],
  linkFor: (federationId: string) => ReceiptLister | undefined,
  timeoutMs = receiptFetchTimeoutMs,
): Promise<FetchedReceipts[]> {
  return Promise.all(federations.map((federation) => fetchOne(federation, linkFor(federation.id), timeoutMs)));
}

/** For a process that holds no federation links (the CLI): one short-lived link per enrolled federation. */
export async function fetchReceiptsOnce(node: ParticipantNode): Promise<FetchedReceipts[]> {
  const federations = node.federations.list();
  if (federations.length === 0) return [];
  let privateKey;
  try {
    privateKey = await loadOrCreateIdentityKey(node.credentials);
  } catch (error) {
    const reason = `the identity key could not be read from the keychain: ${(error as Error).message}`;
    return federations.map((federation) => ({ federationId: federation.id, error: reason }));
  }
  const settings = { privateKey, retry: { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 1000 } };
  const links = new Map<string, GrpcFederationLink>();
  const unjoinable = new Map<string, string>();
  for (const federation of federations) {
    try {
      links.set(federation.id, await enrolledFederationLink(node, federation, settings));
    } catch (error) {
      unjoinable.set(federation.id, (error as Error).message);
    }
  }
  try {
    const fetched = await fetchEnrolledReceipts(federations, (id) => links.get(id));
    return fetched.map((entry) => {
      const error = unjoinable.get(entry.federationId);
      return error ? { federationId: entry.federationId, error } : entry;
    });
  } finally {
    for (const link of links.values()) link.close();
  }
}
