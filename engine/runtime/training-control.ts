/**
 * Pause, resume and cancel for a running training loop. The loop consults it between steps, so a pause
 * takes effect after the step in flight and a cancel stops before the next one; nothing is torn mid-update.
 */
export class TrainingControl {
  private paused = false;
  private stopped = false;
  private wake: (() => void) | undefined;

  get isPaused(): boolean {
    return this.paused;
  }

  get isCancelled(): boolean {
    return this.stopped;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.release();
  }

  cancel(): void {
    this.stopped = true;
    this.release();
  }

  /** Resolves at once unless paused; then when resumed or cancelled. */
  async waitWhilePaused(): Promise<void> {
    while (this.paused && !this.stopped) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private release(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
