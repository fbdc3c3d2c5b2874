/**
 * The one way this node builds a gRPC link to a federation's coordinator: its CA, the client certificate when
 * the federation has one (mutual TLS), the identity key, and the node's upload journal and model folder.
 */
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { GrpcFederationLink } from '../coordinator-client/grpc-federation-link.ts';
import type { RetryPolicy } from '../coordinator-client/retry-policy.ts';
import { FileUploadJournal } from '../coordinator-client/upload-journal.ts';
import { federationTls, loadClientCertificate } from '../enrolment/client-certificate.ts';
import type { ClientCertificate } from '../enrolment/client-certificate.ts';
import type { EnrolledFederation } from '../enrolment/federation-registry.ts';
import type { ParticipantNode } from '../participant-node.ts';

export interface LinkSettings {
  readonly privateKey: KeyObject;
  readonly retry: RetryPolicy;
  readonly pollWaitSeconds?: number;
}

export interface LinkTarget {
  readonly address: string;
  readonly caPem: string;
  readonly participantId?: string;
  readonly client?: ClientCertificate;
}

export function federationLink(node: ParticipantNode, target: LinkTarget, settings: LinkSettings): GrpcFederationLink {
  const home = node.database.home;
  return new GrpcFederationLink({
    address: target.address,
    tls: federationTls(target.caPem, target.client),
    privateKey: settings.privateKey,
    participantId: target.participantId,
    journal: new FileUploadJournal(join(home, 'federation', 'uploads.json')),
    modelDir: join(home, 'federation', 'models'),
    pollWaitSeconds: settings.pollWaitSeconds,
    retry: settings.retry,
  });
}

/** A link to an enrolled federation, with its stored client certificate (ClientKeyMissingError without its key). */
export async function enrolledFederationLink(
  node: ParticipantNode,
  federation: EnrolledFederation,
  settings: LinkSettings,
): Promise<GrpcFederationLink> {
  const client = await loadClientCertificate(node.credentials, federation);
  const target = {
    address: federation.coordinator,
    caPem: federation.caCertificatePem,
    participantId: federation.participantId,
    client,
  };
  return federationLink(node, target, settings);
}
