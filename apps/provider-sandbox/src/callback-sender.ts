import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { logger } from '@utskick/observability';
import { Agent } from 'undici';

/** Webhooks in flight at once (real providers post many concurrently); SANDBOX_CALLBACK_CONCURRENCY overrides. */
export const CALLBACK_CONCURRENCY = Math.max(1, Number(process.env.SANDBOX_CALLBACK_CONCURRENCY) || 256);
export const CALLBACK_MAX_ATTEMPTS = 10;
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 5_000;

export interface CallbackPayload {
  body: string;
  headers?: Record<string, string>;
}

export interface Callback {
  url: string;
  contentType: string;
  /**
   * Body and extra headers of one attempt, built when the attempt starts (not while queued, so a
   * backlog stays small; called again on a retry, e.g. for a fresh timestamp).
   */
  payload: () => CallbackPayload;
  /** Runs once, when the first attempt starts. */
  onStart?: () => void;
  /** Sent after this one has finished (delivered or given up): keeps one message's statuses in order. */
  next?: Callback;
}

interface Job {
  cb: Callback;
  attempt: number;
  gen: number;
}

/**
 * Delivers webhooks: an in-memory FIFO drained by at most CALLBACK_CONCURRENCY requests over
 * keep-alive connections. A network error or 5xx is retried with exponential backoff up to
 * CALLBACK_MAX_ATTEMPTS; any other answer ends the job. reset() drops everything pending.
 */
@Injectable()
export class CallbackSender implements OnModuleDestroy {
  private readonly log = logger('callback-sender');
  private readonly agent = new Agent({
    connections: CALLBACK_CONCURRENCY,
    keepAliveTimeout: 30_000,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  private queue: Job[] = [];
  private head = 0;
  private active = 0;
  private gen = 0;
  private closed = false;
  private dropped = 0;
  private lastDropLog = 0;

  /** Queues a callback now, or after delayMs. */
  send(cb: Callback, delayMs = 0): void {
    if (this.closed) return;
    if (delayMs > 0) {
      const gen = this.gen;
      setTimeout(() => gen === this.gen && this.enqueue(cb, gen), delayMs).unref();
    } else {
      this.enqueue(cb, this.gen);
    }
  }

  /** Callbacks queued or in flight (for tests and diagnostics). */
  get pending(): number {
    return this.queue.length - this.head + this.active;
  }

  /** Forgets every queued, delayed and retrying callback. */
  reset(): void {
    this.gen++;
    this.queue = [];
    this.head = 0;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.reset();
    await this.agent.destroy().catch(() => undefined);
  }

  private enqueue(cb: Callback, gen: number, attempt = 1): void {
    if (this.closed) return;
    this.queue.push({ cb, attempt, gen });
    this.pump();
  }

  private pump(): void {
    while (this.active < CALLBACK_CONCURRENCY && this.head < this.queue.length) {
      const job = this.queue[this.head++];
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      if (job.gen !== this.gen) continue;
      this.active++;
      void this.deliver(job).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async deliver(job: Job): Promise<void> {
    const { cb } = job;
    if (job.attempt === 1) cb.onStart?.();
    let retry: boolean;
    let reason: string;
    let url: URL;
    try {
      url = new URL(cb.url);
    } catch {
      this.drop(cb.url, 'invalid URL');
      return this.finish(job);
    }
    try {
      const { body, headers } = cb.payload();
      const res = await this.agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'POST',
        headers: { 'content-type': cb.contentType, ...headers },
        body,
      });
      await res.body.dump();
      if (res.statusCode < 300) return this.finish(job);
      retry = res.statusCode >= 500;
      reason = `HTTP ${res.statusCode}`;
    } catch (err) {
      retry = true;
      reason = (err as Error).message;
    }
    if (job.gen !== this.gen || this.closed) return;
    if (retry && job.attempt < CALLBACK_MAX_ATTEMPTS) {
      const wait = Math.min(BACKOFF_BASE_MS * 2 ** (job.attempt - 1), BACKOFF_MAX_MS);
      setTimeout(() => job.gen === this.gen && this.enqueue(cb, job.gen, job.attempt + 1), wait).unref();
      return;
    }
    this.drop(cb.url, reason);
    this.finish(job);
  }

  private finish(job: Job): void {
    if (job.cb.next && job.gen === this.gen) this.enqueue(job.cb.next, job.gen);
  }

  /** Logs give-ups at most every 10 s, with a count, so a dead receiver cannot flood the log. */
  private drop(url: string, reason: string): void {
    this.dropped++;
    const now = Date.now();
    if (now - this.lastDropLog >= 10_000) {
      this.log.warn({ url, reason, dropped: this.dropped }, 'callback given up');
      this.lastDropLog = now;
      this.dropped = 0;
    }
  }
}
