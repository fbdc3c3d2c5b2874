/**
 * Whether a coordinator is serving, asked as a participant would ask it: a TLS connection to its address and
 * a Hello that answers with this federation's id (with mutual TLS, a client certificate issued for the probe
 * by the federation's CA, never stored). Its current round is read from the store, read-only, so the probe
 * never writes to a running coordinator's state.
 */
import * as grpc from '@grpc/grpc-js';
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { issueCertificate } from '../certs/certificate-authority.ts';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import { decodeMessage, encodeMessage, methodNamed, protocolVersion } from '../../protocol/federation-methods.ts';
import type { HelloResponse } from '../../protocol/gen/accord/v1/federation_pb.js';
import { federationPaths } from '../setup/federation-files.ts';

export interface CurrentRound {
  readonly number: number;
  readonly state: string;
  readonly openedAt: string;
  readonly deadlineAt: string;
}

export interface CoordinatorHealth {
  readonly address: string;
  readonly serving: boolean;
  /** Why it is not serving, in words (unreachable, TLS refused, another federation answered). */
  readonly problem?: string;
  readonly federationId: string | null;
  readonly federationName: string;
  /** The latest round in the store; null before the first round opens. */
  readonly round: CurrentRound | null;
}

/** Where the probe connects: the configured listen address, with a wildcard host taken as this machine. */
export function probeAddress(config: CoordinatorConfig): string {
  const { host, port } = config.listen;
  const local = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `${local.includes(':') ? `[${local}]` : local}:${port}`;
}

function storedState(config: CoordinatorConfig): { federationId: string | null; round: CurrentRound | null } {
  const file = federationPaths(config.dataDir).database;
  if (!existsSync(file)) return { federationId: null, round: null };
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const id = db.prepare("SELECT value FROM settings WHERE key = 'federation_id'").get() as
      { value: string } | undefined;
    const row = db
      .prepare(
        'SELECT number, state, opened_at AS openedAt, deadline_at AS deadlineAt FROM rounds ORDER BY opened_at DESC, number DESC LIMIT 1',
      )
      .get() as { number: number; state: string; openedAt: number; deadlineAt: number } | undefined;
    const round = row && {
      number: row.number,
      state: row.state,
      openedAt: new Date(row.openedAt).toISOString(),
      deadlineAt: new Date(row.deadlineAt).toISOString(),
    };
    return { federationId: id?.value ?? null, round: round ?? null };
  } finally {
    db.close();
  }
}

async function probeCredentials(config: CoordinatorConfig): Promise<grpc.ChannelCredentials> {
  const paths = federationPaths(config.dataDir);
  const caPem = readFileSync(paths.caCertificate, 'utf8');
  if (!config.tls.mutual) return grpc.credentials.createSsl(Buffer.from(caPem));
  const ca = { certificatePem: caPem, privateKeyPem: readFileSync(paths.caKey, 'utf8') };
  const client = await issueCertificate(ca, 'accord-health-probe', 'client', [], 1);
  return grpc.credentials.createSsl(
    Buffer.from(caPem),
    Buffer.from(client.privateKeyPem),
    Buffer.from(client.certificatePem),
  );
}

function hello(address: string, credentials: grpc.ChannelCredentials, timeoutMs: number): Promise<HelloResponse> {
  const method = methodNamed('hello');
  const client = new grpc.Client(address, credentials);
  const body = encodeMessage(method.input, {
    supportedVersions: [protocolVersion],
    clientName: 'accord coordinator health',
  });
  return new Promise<HelloResponse>((resolve, reject) => {
    client.makeUnaryRequest(
      method.path,
      (value: Buffer) => value,
      (value: Buffer) => value,
      body,
      new grpc.Metadata(),
      { deadline: new Date(Date.now() + timeoutMs) },
      (error, response) => {
        client.close();
        if (error || !response) reject(error ?? new Error('empty response'));
        else resolve(decodeMessage(method.output, response) as HelloResponse);
      },
    );
  });
}

/** Serving means: reachable, TLS accepted, and the federation that answers is the one in this folder. */
export async function checkCoordinatorHealth(
  config: CoordinatorConfig,
  options: { address?: string; timeoutMs?: number } = {},
): Promise<CoordinatorHealth> {
  const address = options.address ?? probeAddress(config);
  const stored = storedState(config);
  const base = {
    address,
    federationId: stored.federationId,
    federationName: config.federation.name,
    round: stored.round,
  };
  try {
    const answer = await hello(address, await probeCredentials(config), options.timeoutMs ?? 5000);
    if (stored.federationId !== null && answer.federationId !== stored.federationId)
      return { ...base, serving: false, problem: `${address} serves another federation (${answer.federationId})` };
    return { ...base, serving: true };
  } catch (error) {
    return { ...base, serving: false, problem: (error as Error).message };
  }
}
