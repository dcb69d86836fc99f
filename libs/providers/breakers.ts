import CircuitBreaker from 'opossum';
import { breakerState, logger } from '@utskick/observability';

export interface BreakerOptions {
  resetTimeoutMs: number;
  errorThresholdPercentage: number;
  volumeThreshold: number;
  timeoutMs: number;
}

/**
 * One opossum breaker per provider account, created lazily. Only thrown (retryable) failures
 * count; a permanent rejection of one recipient is a returned value and never opens it.
 */
export class BreakerRegistry {
  private readonly log = logger('breakers');
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(private readonly opts: BreakerOptions) {}

  get<A extends unknown[], R>(provider: string, account: string, action: (...args: A) => Promise<R>): CircuitBreaker<A, R> {
    const key = `${provider}:${account}`;
    let breaker = this.breakers.get(key) as CircuitBreaker<A, R> | undefined;
    if (!breaker) {
      breaker = new CircuitBreaker(action, {
        resetTimeout: this.opts.resetTimeoutMs,
        errorThresholdPercentage: this.opts.errorThresholdPercentage,
        volumeThreshold: this.opts.volumeThreshold,
        timeout: this.opts.timeoutMs,
        rollingCountTimeout: 10_000,
        name: key,
      });
      const labels = { provider, account };
      breakerState.set(labels, 0);
      breaker.on('open', () => {
        breakerState.set(labels, 2);
        this.log.warn({ provider, account }, 'breaker opened');
      });
      breaker.on('halfOpen', () => breakerState.set(labels, 1));
      breaker.on('close', () => {
        breakerState.set(labels, 0);
        this.log.info({ provider, account }, 'breaker closed');
      });
      this.breakers.set(key, breaker as unknown as CircuitBreaker);
    }
    return breaker;
  }

  /**
   * Resolves once no breaker is open (they turn half-open after the reset timeout). While one
   * is half-open it answers a batch limit of 1: a probe, not a batch of deliveries to burn.
   */
  async whenClosed(): Promise<{ maxBatch: number } | undefined> {
    // Loop: a probe that failed meanwhile re-opened a breaker this loop already waited for.
    for (let open = this.firstOpen(); open; open = this.firstOpen()) {
      await new Promise<void>((resolve) => open.once('halfOpen', () => resolve()));
    }
    return [...this.breakers.values()].some((b) => b.halfOpen) ? { maxBatch: 1 } : undefined;
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
