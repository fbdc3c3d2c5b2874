import { describe, expect, it } from 'vitest';
import { loginItemSettings, ShellState, startsHidden } from '../../../main/electron/shell-state.ts';
import type { FederationView } from '../../../preload/contract.ts';

const state = (roundKey: string, value: 'training' | 'awaiting_approval' | 'receipted' | 'accepted') => ({
  roundKey,
  federationId: 'f',
  roundId: roundKey,
  state: value,
  reason: null,
});

function federation(name: string, connection: FederationView['connection']): FederationView {
  return {
    id: name,
    name,
    coordinator: 'c:1',
    participantId: 'p',
    publicKeySha256: 'a'.repeat(64),
    enrolledAt: '2026-01-01T00:00:00Z',
    connection,
    currentRound: null,
    lastRound: null,
    nextRound: null,
  };
}

describe('ShellState', () => {
  it('asks before quitting only while a round trains', () => {
    const shell = new ShellState();
    expect(shell.quitConfirmation()).toBeUndefined();
    shell.onRoundState(state('f/r1', 'accepted'));
    shell.onRoundState(state('f/r1', 'training'));
    const ask = shell.quitConfirmation();
    expect(ask?.buttons[ask.cancelId]).toBe('Keep running');
    shell.onRoundState(state('f/r1', 'awaiting_approval'));
    expect(shell.quitConfirmation()).toBeUndefined();
  });

  it('notifies when more contributions wait, not when one is decided', () => {
    const shell = new ShellState();
    expect(shell.onApprovalsWaiting({ count: 1, contributionIds: ['a'] })?.title).toBe(
      'A contribution awaits your approval',
    );
    expect(shell.onApprovalsWaiting({ count: 1, contributionIds: ['a'] })).toBeUndefined();
    expect(shell.onApprovalsWaiting({ count: 0, contributionIds: [] })).toBeUndefined();
    expect(shell.onApprovalsWaiting({ count: 2, contributionIds: ['b', 'c'] })?.title).toBe(
      '2 contributions await your approval',
    );
  });

  it('shows the most urgent status in the tray', () => {
    const shell = new ShellState();
    expect(shell.trayStatus().icon).toBe('idle');
    shell.onRoundState(state('f/r1', 'training'));
    expect(shell.trayStatus()).toEqual({ icon: 'training', tooltip: 'Accord — training (1 round)' });
    shell.onFederationState(
      federation('Consortium', { state: 'unreachable', error: 'refused', since: 'x', nextAttemptAt: 'y' }),
    );
    expect(shell.trayStatus()).toEqual({ icon: 'offline', tooltip: 'Accord — cannot reach Consortium' });
    shell.onApprovalsWaiting({ count: 1, contributionIds: ['a'] });
    expect(shell.trayStatus().icon).toBe('attention');
    shell.onApprovalsWaiting({ count: 0, contributionIds: [] });
    shell.onFederationState(federation('Consortium', { state: 'connected', since: 'x' }));
    expect(shell.trayStatus().icon).toBe('training');
  });
});

describe('start at login', () => {
  it('starts hidden in the tray when enabled, and undoes it when disabled', () => {
    const on = loginItemSettings(true);
    expect(on).toEqual({ openAtLogin: true, openAsHidden: true, args: ['--hidden'] });
    expect(startsHidden(['electron', '.', ...on.args])).toBe(true);
    expect(loginItemSettings(false)).toEqual({ openAtLogin: false, openAsHidden: false, args: [] });
    expect(startsHidden(['electron', '.'])).toBe(false);
  });
});
