/** The contract methods for the workstation itself: dataset preview, audit export, settings. */
import type { ParticipantApi } from '../../../preload/contract.ts';
import { auditToHtml, auditToJson } from '../audit/audit-export.ts';
import { requireAllowedDatasetPath } from '../datasets/dataset-folders.ts';
import { previewDataset } from '../datasets/dataset-preview.ts';
import type { ParticipantNode } from '../participant-node.ts';
import { managedSettingsView } from '../policy/managed-settings-view.ts';
import { readWorkstationSettings, writeWorkstationSettings } from '../settings/workstation-settings.ts';

type WorkstationApi = Pick<
  ParticipantApi,
  'datasets.preview' | 'datasets.pick' | 'audit.export' | 'settings.get' | 'settings.set' | 'settings.managed'
>;

/** The desktop shell replaces this with the native file dialog (main/electron/dataset-picker.ts). */
async function noFileDialog(): Promise<never> {
  throw new Error(
    "the file dialog is in the desktop app only: type the file's path (in your home folder, or in a folder set under Settings → This workstation → Dataset folders)",
  );
}

async function exportAudit(node: ParticipantNode, format: 'json' | 'html') {
  const entries = node.audit.entries();
  const verification = await node.verifyAudit();
  const day = new Date().toISOString().slice(0, 10);
  if (format === 'html') {
    return {
      fileName: `accord-audit-${day}.html`,
      mediaType: 'text/html',
      content: auditToHtml(entries, verification),
    };
  }
  const content = JSON.stringify(auditToJson(entries, verification), null, 2);
  return { fileName: `accord-audit-${day}.json`, mediaType: 'application/json', content };
}

export function createWorkstationMethods(node: ParticipantNode): WorkstationApi {
  return {
    'datasets.preview': async ({ path, format, limit }) =>
      previewDataset(
        requireAllowedDatasetPath(node.database.db, path, { policy: node.policy }),
        format,
        limit ? { limit } : {},
      ),
    'datasets.pick': noFileDialog,
    'audit.export': async ({ format }) => exportAudit(node, format),
    'settings.get': async () => readWorkstationSettings(node.database.db),
    'settings.set': async (update) => writeWorkstationSettings(node.database.db, update, node.policy),
    'settings.managed': async () => managedSettingsView(node.policy),
  };
}
