/**
 * The workstation's settings (compute device, start at login, payload retention, dataset folders), kept in the node's
 * settings table so the desktop shell, the headless server and the CLI all see the same values.
 */
import type { WorkstationSettings } from '../../../preload/contract.ts';
import { payloadRetentionEnabled, setPayloadRetention } from '../audit/payload-retention.ts';
import { pickedDatasetFolders, setPickedDatasetFolders } from '../datasets/dataset-folders.ts';
import type { ManagedPolicy } from '../policy/managed-policy-schema.ts';
import { managedSettingValues, refuseLockedSettingChange } from '../policy/managed-settings.ts';
import type { SqliteDatabase } from '../store/participant-database.ts';

const computeDevices = ['auto', 'cpu', 'cuda', 'dml', 'coreml'] as const;
type ComputeDevice = WorkstationSettings['computeDevice'];

function readSetting(db: SqliteDatabase, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

function writeSetting(db: SqliteDatabase, key: string, value: string): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

export function readWorkstationSettings(db: SqliteDatabase): WorkstationSettings {
  const device = readSetting(db, 'compute_device');
  return {
    computeDevice: computeDevices.includes(device as ComputeDevice) ? (device as ComputeDevice) : 'auto',
    startAtLogin: readSetting(db, 'start_at_login') === 'on',
    retainPayloads: payloadRetentionEnabled(db),
    datasetFolders: pickedDatasetFolders(db),
  };
}

/** A change to a setting the managed policy fixes is refused, naming the policy file; nothing is written then. */
export function writeWorkstationSettings(
  db: SqliteDatabase,
  update: Partial<WorkstationSettings>,
  policy?: ManagedPolicy,
): WorkstationSettings {
  refuseLockedSettingChange(policy, update);
  db.transaction(() => {
    if (update.computeDevice !== undefined) writeSetting(db, 'compute_device', update.computeDevice);
    if (update.startAtLogin !== undefined) writeSetting(db, 'start_at_login', update.startAtLogin ? 'on' : 'off');
    if (update.retainPayloads !== undefined) setPayloadRetention(db, update.retainPayloads);
    if (update.datasetFolders !== undefined) setPickedDatasetFolders(db, update.datasetFolders);
  })();
  return readWorkstationSettings(db);
}

/** Stores the values the managed policy fixes, so that every reader of the settings (trainer, shell) obeys it. */
export function applyManagedSettings(db: SqliteDatabase, policy: ManagedPolicy | undefined): void {
  const fixed = managedSettingValues(policy);
  if (Object.keys(fixed).length > 0) writeWorkstationSettings(db, fixed, policy);
}
