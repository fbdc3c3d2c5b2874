/**
 * Audit log throughput: appends inside transactions (synchronous=NORMAL), durable appends (synchronous=FULL, the
 * entry before an upload), and verification of the whole chain. Prints figures; the last line is a JSON object.
 *   npm run bench:participant-audit [-- entries]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../main/participant/audit/audit-log.ts';
import { verifyAuditEntries } from '../main/participant/audit/audit-verify.ts';
import { openParticipantDatabase } from '../main/participant/store/participant-database.ts';

const entries = Number(process.argv[2] ?? 20_000);
const durableEntries = Math.max(50, Math.round(entries / 40));
const home = mkdtempSync(join(tmpdir(), 'accord-bench-audit-'));
const store = openParticipantDatabase(home);
const log = new AuditLog(store.db);
const sample = (i: number) => ({ roundKey: `fed-a/round-${i}`, sha256: 'ab'.repeat(32), bytes: 1_048_576, by: 'ada' });

const time = (fn: () => void): number => {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
};

const appendSeconds = time(() => {
  for (let i = 0; i < entries; i++) log.append('decision', sample(i));
});
const durableSeconds = time(() => {
  for (let i = 0; i < durableEntries; i++) log.appendDurably('upload.intent', sample(i));
});
let ok = false;
const all = log.entries();
const verifySeconds = time(() => {
  ok = verifyAuditEntries(all, log.head()).ok;
});
store.close();
rmSync(home, { recursive: true, force: true });

const result = {
  entries: all.length,
  appendsPerSecond: Math.round(entries / appendSeconds),
  durableAppendsPerSecond: Math.round(durableEntries / durableSeconds),
  verifiedEntriesPerSecond: Math.round(all.length / verifySeconds),
  verified: ok,
};
console.log(`appends (synchronous=NORMAL): ${result.appendsPerSecond}/s`);
console.log(`durable appends (synchronous=FULL, fsync each): ${result.durableAppendsPerSecond}/s`);
console.log(`verify: ${result.verifiedEntriesPerSecond} entries/s over ${result.entries} entries`);
console.log(JSON.stringify(result));
