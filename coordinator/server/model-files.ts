/** Open read handles on checkpoint files, so serving a model chunk costs a read, not an open and close. */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

export class ModelFiles {
  readonly #handles = new Map<string, Promise<FileHandle>>();

  handle(path: string): Promise<FileHandle> {
    let handle = this.#handles.get(path);
    if (!handle) {
      // Only the current and previous rounds' models are served; older handles are closed.
      if (this.#handles.size >= 4) void this.closeAll();
      handle = open(path, 'r');
      this.#handles.set(path, handle);
      handle.catch(() => this.#handles.delete(path));
    }
    return handle;
  }

  async closeAll(): Promise<void> {
    const handles = [...this.#handles.values()];
    this.#handles.clear();
    // A handle whose open failed has nothing to close; that failure already went to the call that opened it.
    await Promise.all(handles.map(async (handle) => (await handle.catch(() => undefined))?.close()));
  }
}
