/** Which view is shown; kept in the URL hash so reloads and back/forward keep the place. */
export const views = [
  { id: 'overview', label: 'Overview' },
  { id: 'datasets', label: 'Datasets' },
  { id: 'privacy', label: 'Privacy' },
  { id: 'rounds', label: 'Rounds' },
  { id: 'training', label: 'Training' },
  { id: 'audit', label: 'Audit' },
  { id: 'settings', label: 'Settings' },
] as const;

export type ViewId = (typeof views)[number]['id'];

export function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '');
  return views.find((view) => view.id === id)?.id ?? 'overview';
}

export class Navigation {
  current = $state<ViewId>('overview');

  constructor(hash: string) {
    this.current = viewFromHash(hash);
  }

  go(id: ViewId): void {
    this.current = id;
  }
}
