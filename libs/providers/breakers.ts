import { WorkerConfig } from '@utskick/config';
import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';
import { breakerState, logger } from '@utskick/observability';

export interface BreakerOptions {
  resetTimeoutMs: number;
  errorThresholdPercentage: number;
  volumeThreshold: number;
  /** The window failures are counted over; must hold several of the slowest failures (2 × the request timeout). */
  rollingCountTimeoutMs: number;
}

/**
 * Breaker settings of a worker app. The window holds two of the slowest failures, and the volume
 * is capped at what can fail inside one window (a pool of `maxInFlight` calls at the full timeout).
 */
export function breakerOptions(w: WorkerConfig, maxInFlight: number): BreakerOptions {
  return {
    resetTimeoutMs: w.BREAKER_RESET_MS,
    errorThresholdPercentage: w.BREAKER_ERROR_PERCENT,
    volumeThreshold: Math.min(w.BREAKER_VOLUME, maxInFlight),
    rollingCountTimeoutMs: Math.max(10_000, 2 * w.PROVIDER_TIMEOUT_MS),
  };
}

/** How long the other fetch loops wait for a probe's verdict before another probe is allowed. */
const PROBE_PATIENCE_MS = 2500;

/**
 * One opossum breaker per provider account, created lazily. Only thrown (retryable) failures
 * count; a permanent rejection of one recipient is a returned value and never opens it.
 */
export class BreakerRegistry {
  private readonly log = logger('breakers');
  private readonly breakers = new Map<string, CircuitBreaker>();
  /** When each breaker last carried a call: an idle provider's closed breaker says nothing about the work at hand. */
  private readonly lastFire = new Map<CircuitBreaker, number>();
  /** When a half-open breaker's probe was handed to a fetch loop (0: none); the others wait for its verdict. */
  private probingSince = 0;

  constructor(private readonly opts: BreakerOptions) {}

  get<A extends unknown[], R>(provider: string, account: string, action: (...args: A) => Promise<R>): CircuitBreaker<A, R> {
    const key = `${provider}:${account}`;
    let breaker = this.breakers.get(key) as CircuitBreaker<A, R> | undefined;
    if (!breaker) {
      breaker = new CircuitBreaker(action, {
        resetTimeout: this.opts.resetTimeoutMs,
        errorThresholdPercentage: this.opts.errorThresholdPercentage,
        volumeThreshold: this.opts.volumeThreshold,
        // No breaker timeout: it would reject while the request still goes out (a "failure" that was
        // sent). Each provider adapter bounds its own request instead.
        timeout: false,
        rollingCountTimeout: this.opts.rollingCountTimeoutMs,
        name: key,
      });
      const labels = { provider, account };
      breakerState.set(labels, 0);
      breaker.on('open', () => {
        this.probingSince = 0;
        breakerState.set(labels, 2);
        this.log.warn({ provider, account }, 'breaker opened');
      });
      breaker.on('halfOpen', () => breakerState.set(labels, 1));
      breaker.on('fire', () => this.lastFire.set(breaker as unknown as CircuitBreaker, Date.now()));
      breaker.on('close', () => {
        this.probingSince = 0;
        breakerState.set(labels, 0);
        this.log.info({ provider, account }, 'breaker closed');
      });
      this.breakers.set(key, breaker as unknown as CircuitBreaker);
    }
    return breaker;
  }

  /**
   * Resolves once no breaker is open (they turn half-open after the reset timeout). While one is
   * half-open, exactly one caller gets a batch limit of 1 — the probe — and the others wait for
   * its verdict (the breaker closes or opens again), so no deliveries are burnt meanwhile.
   */
  async whenClosed(): Promise<{ maxBatch: number } | undefined> {
    for (;;) {
      const open = this.firstOpen();
      if (open) {
        await new Promise<void>((resolve) => open.once('halfOpen', () => resolve()));
        continue;
      }
      const half = [...this.breakers.values()].find((b) => b.halfOpen);
      if (!half) return undefined;
      // pendingClose: opossum still awaits its trial call. A probe whose fetch found nothing to send
      // leaves it so; after a while another loop may take the probe.
      if (half.pendingClose && Date.now() - this.probingSince > PROBE_PATIENCE_MS) {
        this.probingSince = Date.now();
        return { maxBatch: 1 };
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          half.off('close', done);
          half.off('open', done);
          resolve();
        };
        const timer = setTimeout(done, PROBE_PATIENCE_MS);
        half.on('close', done);
        half.on('open', done);
      });
    }
  }

  /**
   * For a worker sending through several providers: resolves at once while any breaker is closed
   * (messages of an open one are deferred by its breaker), so one provider's outage never stalls
   * the others. Only when none is closed does it wait, and probe, as whenClosed does.
   */
  async whenAnyClosed(): Promise<{ maxBatch: number } | undefined> {
    for (;;) {
      // Breakers in use: not closed, or carried a call within the window. A provider nobody sends
      // through keeps fetching going only when nothing is in use at all.
      const since = Date.now() - this.opts.rollingCountTimeoutMs;
      const all = [...this.breakers.values()].filter((b) => !b.closed || (this.lastFire.get(b) ?? 0) > since);
      if (!all.length || all.some((b) => b.closed)) return undefined;
      const half = all.filter((b) => b.halfOpen);
      if (!half.length) {
        await this.nextEvent(all, ['halfOpen', 'close']);
        continue;
      }
      if (half.some((b) => b.pendingClose) && Date.now() - this.probingSince > PROBE_PATIENCE_MS) {
        this.probingSince = Date.now();
        return { maxBatch: 1 };
      }
      await this.nextEvent(half, ['close', 'open'], PROBE_PATIENCE_MS);
    }
  }

  /** Resolves on the first of these events on any of these breakers (or after timeoutMs). */
  private nextEvent(breakers: CircuitBreaker[], events: ('halfOpen' | 'close' | 'open')[], timeoutMs?: number): Promise<void> {
    const emitters = breakers as unknown as EventEmitter[];
    return new Promise<void>((resolve) => {
      const done = () => {
        if (timer) clearTimeout(timer);
        for (const b of emitters) for (const e of events) b.off(e, done);
        resolve();
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
      for (const b of emitters) for (const e of events) b.on(e, done);
    });
  }

  private firstOpen(): CircuitBreaker | undefined {
    return [...this.breakers.values()].find((b) => b.opened);
  }

  shutdown(): void {
    for (const b of this.breakers.values()) b.shutdown();
  }
}

export function isBreakerOpenError(err: unknown): boolean {
  return (err as { code?: string })?.code === 'EOPENBREAKER';
}
