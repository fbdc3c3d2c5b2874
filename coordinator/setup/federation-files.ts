/**
 * Where a coordinator keeps its files under dataDir, and their creation: the SQLite store, the Ed25519
 * key that signs receipts, the CA and server certificate, checkpoints, uploads and logs.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate } from '../certs/certificate-authority.ts';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import { tokenSha256 } from '../server/enrolment-handlers.ts';
import { ensureOperatorFolder } from '../store/operator-files.ts';
import { CoordinatorStore } from '../store/coordinator-store.ts';

export function federationPaths(dataDir: string) {
  return {
    database: join(dataDir, 'coordinator.sqlite'),
    signingKey: join(dataDir, 'receipt-signing-key.pem'),
    caCertificate: join(dataDir, 'certs', 'ca.pem'),
    caKey: join(dataDir, 'certs', 'ca-key.pem'),
    serverCertificate: join(dataDir, 'certs', 'server.pem'),
    serverKey: join(dataDir, 'certs', 'server-key.pem'),
    checkpoints: join(dataDir, 'checkpoints'),
    uploads: join(dataDir, 'uploads'),
    clients: join(dataDir, 'certs', 'clients'),
  };
}

function writeSecret(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
}

/** Creates the data folder, the store, the federation id and the receipt-signing key; idempotent. */
export function initFederation(config: CoordinatorConfig): { federationId: string } {
  const paths = federationPaths(config.dataDir);
  for (const dir of [config.dataDir, paths.checkpoints, paths.uploads, join(config.dataDir, 'certs')])
    ensureOperatorFolder(dir);
  const store = new CoordinatorStore(paths.database);
  try {
    let federationId = store.setting('federation_id');
    if (!federationId) {
      federationId = randomUUID();
      store.setSetting('federation_id', federationId);
    }
    if (!existsSync(paths.signingKey)) {
      const { privateKey } = generateKeyPairSync('ed25519');
      writeSecret(paths.signingKey, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    }
    return { federationId };
  } finally {
    store.close();
  }
}

export function loadSigningKey(dataDir: string): KeyObject {
  return createPrivateKey(readFileSync(federationPaths(dataDir).signingKey));
}

/** The CA (created once) and a server certificate for `hosts`; with `client`, a client certificate too. */
export async function writeCertificates(
  config: CoordinatorConfig,
  hosts: readonly string[],
  client?: string,
): Promise<string[]> {
  const paths = federationPaths(config.dataDir);
  mkdirSync(paths.clients, { recursive: true });
  const written: string[] = [];
  if (!existsSync(paths.caCertificate)) {
    const ca = await createCertificateAuthority(config.federation.name);
    writeFileSync(paths.caCertificate, ca.certificatePem);
    writeSecret(paths.caKey, ca.privateKeyPem);
    written.push(paths.caCertificate);
  }
  const ca = {
    certificatePem: readFileSync(paths.caCertificate, 'utf8'),
    privateKeyPem: readFileSync(paths.caKey, 'utf8'),
  };
  if (!client || !existsSync(paths.serverCertificate)) {
    const server = await issueCertificate(ca, `${config.federation.name} coordinator`, 'server', hosts);
    writeFileSync(paths.serverCertificate, server.certificatePem);
    writeSecret(paths.serverKey, server.privateKeyPem);
    written.push(paths.serverCertificate);
  }
  if (client) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(client))
      throw new Error(`client name "${client}" must be 1–64 characters of [A-Za-z0-9_.-]`);
    const pair = await issueCertificate(ca, client, 'client');
    writeFileSync(join(paths.clients, `${client}.pem`), pair.certificatePem);
    writeSecret(join(paths.clients, `${client}-key.pem`), pair.privateKeyPem);
    written.push(join(paths.clients, `${client}.pem`));
  }
  return written;
}

/** A new one-time enrolment token; only its sha256 is stored. */
export function createInvitation(config: CoordinatorConfig, validDays: number, note = ''): string {
  const token = `accord1_${randomBytes(32).toString('base64url')}`;
  const store = new CoordinatorStore(federationPaths(config.dataDir).database);
  try {
    store.addInvitation(tokenSha256(token), new Date(Date.now() + validDays * 24 * 60 * 60 * 1000), note);
  } finally {
    store.close();
  }
  return token;
}
