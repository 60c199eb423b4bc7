/**
 * Work a process starts after a request or a commit and does not wait for (indexing what was
 * just saved, for example). Whoever starts such work hands its promise to `track`, so that
 * closing the app waits for it and a test can wait until the process is quiet (`settled`)
 * before it counts a page's statements.
 */
export class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>();

  /** Remembers `work` until it ends (either way) and returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    const entry = work.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(entry);
    void entry.then(() => this.pending.delete(entry));
    return work;
  }

  /** How many tracked pieces of work are still running. */
  get size(): number {
    return this.pending.size;
  }

  /** Resolves once no tracked work runs, including work started while waiting. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}
