/**
 * The hub's rounds: news of conversations (`News`: whether to read their messages, typing and
 * presence) gathered while a round runs, then handled together by the next, one round at a time,
 * so a busy server checks membership once per round, not once per message or per signal. Each
 * `add` resolves once a round including its conversation has run.
 */
export class Rounds<News> {
  /** Conversations with news for the next round. */
  private readonly dirty = new Map<number, News>();
  private running = false;
  private waiting: (() => void)[] = [];

  constructor(
    private readonly hooks: {
      /** Empty news for a conversation. */
      fresh: () => News;
      /** Runs one round over these conversations. */
      round: (batch: Map<number, News>) => Promise<void>;
      /** After a round, whatever it ran or threw: these conversations were in it. */
      ran: (ids: number[]) => void;
      failed: (e: unknown) => void;
    },
  ) {}

  /** Whether a conversation waits for the next round. */
  has(id: number): boolean {
    return this.dirty.has(id);
  }

  /** Adds news of a conversation; resolves when a round including it has run. */
  add(id: number, add: (news: News) => void): Promise<void> {
    let news = this.dirty.get(id);
    if (!news) this.dirty.set(id, (news = this.hooks.fresh()));
    add(news);
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      if (!this.running) void this.loop();
    });
  }

  /** Resolves once no round runs. */
  async idle(): Promise<void> {
    while (this.running) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.dirty.size) {
        const batch = new Map(this.dirty);
        this.dirty.clear();
        const waiting = this.waiting;
        this.waiting = [];
        try {
          await this.hooks.round(batch);
        } catch (e) {
          this.hooks.failed(e);
        } finally {
          for (const w of waiting) w();
          this.hooks.ran([...batch.keys()]);
        }
      }
    } finally {
      this.running = false;
      for (const w of this.waiting.splice(0)) w();
    }
  }
}
