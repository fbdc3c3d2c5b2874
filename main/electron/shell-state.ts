/**
 * What the desktop shell shows outside the window (tray, notifications, quit guard), decided from the
 * participant's events. Plain TypeScript, no electron import: tested under Node (Electron cannot run in CI).
 */
import type { EventOf, FederationView } from '../../preload/contract.ts';

export type TrayIconName = 'idle' | 'training' | 'attention' | 'offline';

export interface TrayStatus {
  icon: TrayIconName;
  tooltip: string;
}

export interface Notice {
  title: string;
  body: string;
}

export interface QuitConfirmation {
  message: string;
  detail: string;
  buttons: [string, string];
  /** Index of the button that keeps the app running (also the answer to Escape). */
  cancelId: number;
}

const trainingStates = new Set(['accepted', 'downloaded', 'training', 'update_ready']);

export class ShellState {
  readonly training = new Set<string>();
  readonly connections = new Map<string, FederationView['connection']['state']>();
  waiting = 0;

  onRoundState(event: EventOf<'round.state'>): void {
    if (trainingStates.has(event.state)) this.training.add(event.roundKey);
    else this.training.delete(event.roundKey);
  }

  onFederationState(federation: FederationView): void {
    this.connections.set(federation.name, federation.connection.state);
  }

  /** Returns the notification to show, only when more contributions wait than before (not on every event). */
  onApprovalsWaiting(event: EventOf<'approvals.waiting'>): Notice | undefined {
    const previous = this.waiting;
    this.waiting = event.count;
    if (event.count <= previous) return undefined;
    return {
      title:
        event.count === 1 ? 'A contribution awaits your approval' : `${event.count} contributions await your approval`,
      body: 'Nothing is sent until you approve it. Open Accord to review its size, ε and destination.',
    };
  }

  /** The most urgent state wins: a person is needed > a coordinator is unreachable > training > idle. */
  trayStatus(): TrayStatus {
    const offline = [...this.connections].filter(([, state]) => state === 'unreachable' || state === 'retrying');
    if (this.waiting > 0) return { icon: 'attention', tooltip: `Accord — ${this.waiting} awaiting your approval` };
    if (offline.length > 0)
      return { icon: 'offline', tooltip: `Accord — cannot reach ${offline.map(([name]) => name).join(', ')}` };
    if (this.training.size > 0)
      return {
        icon: 'training',
        tooltip: `Accord — training (${this.training.size} round${this.training.size > 1 ? 's' : ''})`,
      };
    return { icon: 'idle', tooltip: 'Accord — idle' };
  }

  /** Asked before quitting: quitting mid-training loses the round's work (it resumes or fails cleanly). */
  quitConfirmation(): QuitConfirmation | undefined {
    if (this.training.size === 0) return undefined;
    return {
      message: 'Quit while a round is training?',
      detail:
        'The local training in progress stops. When Accord starts again the round resumes if its deadline allows, or fails cleanly; nothing is sent without your approval.',
      buttons: ['Keep running', 'Quit'],
      cancelId: 0,
    };
  }
}

/** app.setLoginItemSettings arguments: hidden start (tray only) for unattended participation. */
export function loginItemSettings(startAtLogin: boolean): {
  openAtLogin: boolean;
  openAsHidden: boolean;
  args: string[];
} {
  return { openAtLogin: startAtLogin, openAsHidden: startAtLogin, args: startAtLogin ? ['--hidden'] : [] };
}

/** Started by the login item: stay in the tray until the person opens the window. */
export function startsHidden(argv: readonly string[]): boolean {
  return argv.includes('--hidden');
}
