/** The connection to a coordinator in words, with how worried a person should be. */
import type { ConnectionState } from '../../../../preload/contract.ts';
import { formatDateTime } from '../../lib/format.ts';

export function connectionText(connection: ConnectionState): {
  label: string;
  tone: 'good' | 'bad' | 'waiting' | 'active';
} {
  switch (connection.state) {
    case 'connected':
      return { label: `Connected since ${formatDateTime(connection.since)}`, tone: 'good' };
    case 'connecting':
      return { label: 'Connecting…', tone: 'active' };
    case 'retrying':
      return {
        label: `Retrying (attempt ${connection.attempt}, next at ${formatDateTime(connection.nextAttemptAt)}): ${connection.error}`,
        tone: 'waiting',
      };
    case 'unreachable':
      return {
        label: `Unreachable since ${formatDateTime(connection.since)}: ${connection.error}; next try ${formatDateTime(connection.nextAttemptAt)}`,
        tone: 'bad',
      };
    case 'stopped':
      return { label: 'Stopped', tone: 'bad' };
  }
}
