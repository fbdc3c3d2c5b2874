/**
 * `accord participant enrol`: enrols this site's participant node with a coordinator through the same
 * ParticipantApi method the UI calls ('federation.enrol', its request checked by the contract's schema).
 * The identity key is created in (or read from) the OS keychain; only its public half goes to the coordinator.
 * This process only enrols: it polls no federation and resumes no round (a running `serve` does that).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createParticipantApi } from '../../main/participant/api/participant-api.ts';
import { dispatch } from '../../main/participant/api/dispatch.ts';
import { coordinatorAddress, Participation } from '../../main/participant/participation/participation.ts';
import type { ParticipantNode } from '../../main/participant/participant-node.ts';
import { EnrolmentRequest, type FederationView } from '../../preload/contract.ts';
import { parseCommandLine, requiredOption } from '../command-line/parse-command-line.ts';
import { printLine } from '../command-line/print-line.ts';
import { UsageError } from '../command-line/usage-error.ts';
import { enrolmentSources } from './preset-federation.ts';
import { withParticipantNode } from './with-participant-node.ts';

/** The command's option for each field of the contract's request, so that a refusal names what was typed. */
const optionOf: Record<string, string> = {
  coordinatorUrl: '--coordinator',
  invitation: '--invitation',
  caCertificatePem: '--ca',
  displayName: '--name',
  clientCertificatePem: '--client-cert',
  clientKeyPem: '--client-key',
};

/** The request as the contract's schema checks it, its first problem as one usage line. */
function checkedRequest(request: EnrolmentRequest): EnrolmentRequest {
  try {
    coordinatorAddress(request.coordinatorUrl);
  } catch (error) {
    throw new UsageError(`--coordinator: ${(error as Error).message}`);
  }
  const checked = EnrolmentRequest.safeParse(request);
  if (checked.success) return checked.data;
  const [issue] = checked.error.issues;
  const field = String(issue?.path[0] ?? '');
  throw new UsageError(`${optionOf[field] ?? field}: ${issue?.message ?? 'not accepted'}`);
}

/** Enrolment never trains; a round reaching this process would be a bug, said plainly. */
const noTraining = {
  train: () => Promise.reject(new Error('`accord participant enrol` does not train; run `accord participant serve`')),
};

function readPem(file: string, what: string, marker: string, hint = ''): string {
  if (!existsSync(file)) throw new Error(`${what} ${file} does not exist${hint}`);
  const pem = readFileSync(file, 'utf8');
  if (!pem.includes(marker)) throw new Error(`${file} is not a PEM ${marker.includes('KEY') ? 'key' : 'certificate'}`);
  return pem;
}

const readCaCertificate = (file: string) =>
  readPem(file, 'the CA certificate', '-----BEGIN CERTIFICATE-----', " (the coordinator's data/certs/ca.pem)");

/** For a coordinator with mutual TLS: the certificate its CA issued this site, and the key (into the keychain). */
function clientCertificate(certificate?: string, key?: string): Partial<EnrolmentRequest> {
  if (certificate === undefined && key === undefined) return {};
  if (certificate === undefined || key === undefined)
    throw new UsageError('--client-cert and --client-key go together (mutual TLS)');
  return {
    clientCertificatePem: readPem(certificate, 'the client certificate', '-----BEGIN CERTIFICATE-----'),
    clientKeyPem: readPem(key, 'the client key', 'PRIVATE KEY-----'),
  };
}

/** gRPC's "14 UNAVAILABLE: …" in words a person can act on. */
function enrolmentFailure(address: string, message: string): Error {
  const grpc = /^(\d+) ([A-Z_]+): (.*)$/s.exec(message);
  if (!grpc) return new Error(message);
  const [, , code, detail] = grpc;
  if (code === 'UNAVAILABLE' || code === 'DEADLINE_EXCEEDED') {
    const cause = detail
      ?.replace(/^No connection established\. Last error: (Error: )?/, '')
      .replace(/\.? Resolution note:.*$/s, '');
    return new Error(`cannot reach the coordinator at ${address}: ${cause}`);
  }
  return new Error(`the coordinator at ${address} refused the enrolment: ${detail}`);
}

async function enrolThrough(node: ParticipantNode, request: EnrolmentRequest): Promise<FederationView> {
  const participation = await Participation.start(node, { trainer: noTraining, polling: false });
  try {
    const answer = await dispatch(createParticipantApi(node, participation), 'federation.enrol', request);
    if (answer.ok) return answer.value as FederationView;
    if (answer.error.code === 'bad_request') throw new UsageError(answer.error.message);
    throw enrolmentFailure(request.coordinatorUrl, answer.error.message);
  } finally {
    await participation.close();
  }
}

export async function enrol(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, {
    federation: { type: 'string' },
    coordinator: { type: 'string' },
    invitation: { type: 'string' },
    ca: { type: 'string' },
    name: { type: 'string' },
    'client-cert': { type: 'string' },
    'client-key': { type: 'string' },
  });
  const sources = enrolmentSources(values);
  const request = checkedRequest({
    coordinatorUrl: requiredOption(sources.coordinator, 'coordinator'),
    invitation: requiredOption(values.invitation, 'invitation'),
    caCertificatePem: readCaCertificate(requiredOption(sources.ca, 'ca')),
    ...(values.name === undefined ? {} : { displayName: values.name }),
    ...clientCertificate(sources.clientCert, sources.clientKey),
  });
  const federation = await withParticipantNode((node) => enrolThrough(node, request));
  printLine(`enrolled in federation "${federation.name}" (${federation.id}) at ${federation.coordinator}`);
  printLine(`participant id ${federation.participantId}; identity key sha256 ${federation.publicKeySha256}`);
}

/** `accord participant federations`: the federations this node is enrolled in, as its database records them. */
export async function listFederations(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, { json: { type: 'boolean' } });
  const federations = await withParticipantNode((node) =>
    node.federations
      .list()
      .map(({ caCertificatePem: _ca, clientCertificatePem: _client, ...federation }) => federation),
  );
  if (values.json) printLine(JSON.stringify(federations, null, 2));
  else if (federations.length === 0) printLine('not enrolled in any federation');
  else
    for (const f of federations)
      printLine(`${f.id}  ${f.name}  ${f.coordinator}  participant ${f.participantId}  since ${f.enrolledAt}`);
}
