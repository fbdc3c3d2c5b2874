/**
 * The client certificate of a federation whose coordinator asks for mutual TLS: the certificate is kept with
 * the federation, its private key in the OS keychain (never in the database), under the federation's id.
 */
import type { TlsOptions } from '../coordinator-client/grpc-transport.ts';
import type { CredentialStore } from '../keychain/credential-store.ts';
import type { EnrolledFederation } from './federation-registry.ts';

export interface ClientCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export class ClientKeyMissingError extends Error {
  constructor(federation: EnrolledFederation) {
    super(
      `the client key for federation "${federation.name}" is not in the OS keychain: ` +
        'enrol again with its client certificate and key',
    );
    this.name = 'ClientKeyMissingError';
  }
}

export function clientKeyAccount(federationId: string): string {
  return `client-key:${federationId}`;
}

export async function saveClientKey(credentials: CredentialStore, federationId: string, keyPem: string) {
  await credentials.set(clientKeyAccount(federationId), keyPem);
}

/** The federation's client certificate and key; undefined when it has none, ClientKeyMissingError without its key. */
export async function loadClientCertificate(
  credentials: CredentialStore,
  federation: EnrolledFederation,
): Promise<ClientCertificate | undefined> {
  if (!federation.clientCertificatePem) return undefined;
  const privateKeyPem = await credentials.get(clientKeyAccount(federation.id));
  if (!privateKeyPem) throw new ClientKeyMissingError(federation);
  return { certificatePem: federation.clientCertificatePem, privateKeyPem };
}

/** The TLS options of a link to the federation's coordinator: its CA, and the client certificate when it has one. */
export function federationTls(caPem: string, client?: ClientCertificate): TlsOptions {
  return client ? { caPem, certificatePem: client.certificatePem, privateKeyPem: client.privateKeyPem } : { caPem };
}
