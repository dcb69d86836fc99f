import { ApplyResult, MessageLedger, StatusEvent } from './message-ledger';

interface Waiter {
  events: StatusEvent[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Gathers status events from many concurrent webhook requests into one ledger write; each
 * request is answered only after its events are committed, so a provider retries what we lost.
 */
export class StatusBatcher {
  private waiting: Waiter[] = [];
  private size = 0;
  private timer?: NodeJS.Timeout;
  private flushing = Promise.resolve();

  constructor(
    private readonly ledger: MessageLedger,
    private readonly maxBatch: number,
    private readonly maxWaitMs: number,
    private readonly onApplied?: (r: ApplyResult) => void,
  ) {}

  submit(events: StatusEvent[]): Promise<void> {
    if (!events.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ events, resolve, reject });
      this.size += events.length;
      if (this.size >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    this.size = 0;
    if (!batch.length) return;
    // One write at a time keeps row locks in one order; the next batch gathers meanwhile.
    this.flushing = this.flushing.then(async () => {
      try {
        const result = await this.ledger.applyEvents(batch.flatMap((w) => w.events));
        this.onApplied?.(result);
        batch.forEach((w) => w.resolve());
      } catch {
        // One request's bad event (or a deadlock) must not fail the others: apply them one by one.
        for (const w of batch) {
          try {
            this.onApplied?.(await this.ledger.applyEvents(w.events));
            w.resolve();
          } catch (err) {
            w.reject(err);
          }
        }
      }
    });
  }

  async close(): Promise<void> {
    this.flush();
    await this.flushing;
  }
}
