/** Loads `app.info` once and exposes it, or the reason it could not be read. */
import type { AppInfo, ParticipantApi } from '../../preload/contract.ts';

export class AppInfoController {
  info = $state<AppInfo | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  loading = $derived(this.info === undefined && this.error === undefined);

  async load(api: Pick<ParticipantApi, 'app.info'>): Promise<void> {
    try {
      this.info = await api['app.info']({});
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }
}
