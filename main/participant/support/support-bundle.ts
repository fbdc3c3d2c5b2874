/**
 * What IT sends to support when a site misbehaves: versions, execution providers, settings and the managed
 * policy, federations (no keys or certificates, only their fingerprints), datasets (no contents: name, path,
 * size, fingerprint, row count), budgets, rounds, the audit log's verification, a database integrity check and
 * the recent log. Everything passes through redaction before it is returned.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { readAppInfo } from '../api/app-info.ts';
import type { ParticipantNode } from '../participant-node.ts';
import { readWorkstationSettings } from '../settings/workstation-settings.ts';
import { recentLogLines } from './log-excerpt.ts';
import { redactValue } from './redaction.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function federations(node: ParticipantNode) {
  return node.federations.list().map((federation) => ({
    id: federation.id,
    name: federation.name,
    coordinator: federation.coordinator,
    participantId: federation.participantId,
    publicKeySha256: federation.publicKeySha256,
    caCertificateSha256: sha256(federation.caCertificatePem),
    clientCertificateSha256: federation.clientCertificatePem && sha256(federation.clientCertificatePem),
    consentPolicy: node.consent.policy(federation.id),
    enrolledAt: federation.enrolledAt,
  }));
}

/** Each dataset as support needs it: where it is and whether it still matches; never a value from it. */
async function datasets(node: ParticipantNode) {
  return (await node.datasets.listChecked()).map((dataset) => ({
    id: dataset.id,
    name: dataset.name,
    task: dataset.task,
    format: dataset.format,
    path: dataset.path,
    sizeBytes: dataset.sizeBytes,
    sha256: dataset.sha256,
    rows: dataset.stats.rows,
    columns: dataset.stats.columns,
    status: dataset.status,
    budget: node.ledger.budget(dataset.id) ?? null,
    ledgerEntries: node.ledger.entries(dataset.id).length,
  }));
}

function rounds(node: ParticipantNode) {
  return node.rounds.list().map((round) => ({
    roundKey: round.roundKey,
    state: round.state,
    reason: round.reason,
    updatedAt: round.updatedAt,
  }));
}

/** SQLite's own check of every page and index, with the schema version and file size. */
export function databaseCheck(node: ParticipantNode) {
  const { db, file } = node.database;
  const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
  return {
    file,
    sizeBytes: statSync(file).size,
    userVersion: db.pragma('user_version', { simple: true }) as number,
    integrityCheck: integrity,
    ok: integrity.length === 1 && integrity[0] === 'ok',
  };
}

export async function collectSupportBundle(node: ParticipantNode, now = new Date()) {
  const settings = readWorkstationSettings(node.database.db);
  const verification = await node.verifyAudit();
  return redactValue({
    createdAt: now.toISOString(),
    app: readAppInfo(settings.computeDevice),
    home: node.database.home,
    settings,
    managedPolicy: node.policy ?? null,
    federations: federations(node),
    datasets: await datasets(node),
    rounds: rounds(node),
    audit: { ok: verification.ok, entries: node.audit.entries().length, problems: verification.problems },
    database: databaseCheck(node),
    log: recentLogLines(node.log.file),
  }) as Record<string, unknown>;
}
