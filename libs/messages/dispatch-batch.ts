import { WorkerConfig } from '@utskick/config';
import { hostname } from 'node:os';
import { ack, drop, Job, Outcome, retry, SendJob } from '@utskick/messaging';
import { leaseExpired, messagesFailed, messagesSent, providerLatency, logger } from '@utskick/observability';
import { AddressEffect, isBreakerOpenError, RetryableProviderError, SubmitResult } from '@utskick/providers';
import { DataSource } from 'typeorm';
import { ClaimedMessage, MessageAddressEffect, MessageLedger, SendRecord } from './message-ledger';

/** Sends one claimed message through its provider (behind that provider's breaker); throws when worth retrying. */
export interface ChannelSender<C> {
  channel: 'sms' | 'email';
  /** The provider this message goes through (recorded, and the label of its metrics). */
  providerFor(message: ClaimedMessage): string;
  send(message: ClaimedMessage, content: C): Promise<SubmitResult>;
}

export interface DispatchOptions {
  workerId: string;
  leaseMs: number;
  concurrency: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Past this age a message that still fails to submit is failed rather than retried again. */
  validityMs: number;
  /** The provider adapter's own request deadline: a send must finish inside the claim's lease. */
  providerTimeoutMs: number;
  /**
   * Soft bounces (the recipient's side answered "try later"): retried with back-off up to
   * `retryMaxMs` apart for `windowMs` after the message was queued, then `expiredStatus`.
   * Only the e-mail channel has them; unset, they expire like any retry (validityMs, failed).
   */
  softBounce?: SoftBounceOptions;
}

export interface SoftBounceOptions {
  windowMs: number;
  expiredStatus: 'bounced' | 'failed';
  retryMaxMs: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A counting semaphore: at most `size` holders at once, served in arrival order. */
export class Semaphore {
  private waiting: (() => void)[] = [];
  private held = 0;
  constructor(private readonly size: number) {}

  acquire(): Promise<void> {
    if (this.held < this.size) {
      this.held++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held--;
  }
}

/** Exponential back-off with jitter, by attempt number (1-based). */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

/** Dispatch settings of a worker app from its validated configuration; `concurrency` is its provider pool size. */
export function dispatchOptions(app: string, w: WorkerConfig, concurrency: number, softBounce?: SoftBounceOptions): DispatchOptions {
  return {
    softBounce,
    workerId: `${app}@${hostname()}:${process.pid}`,
    leaseMs: w.CLAIM_LEASE_MS,
    concurrency,
    retryBaseMs: w.RETRY_BASE_MS,
    retryMaxMs: w.RETRY_MAX_MS,
    validityMs: w.MESSAGE_VALIDITY_MS,
    providerTimeoutMs: w.PROVIDER_TIMEOUT_MS,
  };
}

/**
 * A worker's batch: claim the rows (skipping any already claimed or sent), submit each with
 * bounded concurrency, record every result in one write, then answer the stream per job.
 */
export class DispatchBatch<C> {
  private readonly log = logger('dispatch');
  private readonly contentCache = new Map<string, C>();
  /**
   * Submissions in flight across every batch of the process, per provider, sized to that provider's
   * connection pool: a request never waits in the pool's queue, where a timeout could not tell
   * "not sent" from "sent late"; and a slow provider never holds another provider's slots.
   */
  private readonly slots = new Map<string, Semaphore>();

  constructor(
    private readonly ds: DataSource,
    private readonly ledger: MessageLedger,
    private readonly sender: ChannelSender<C>,
    private readonly opts: DispatchOptions,
  ) {}

  private slotsOf(provider: string): Semaphore {
    let s = this.slots.get(provider);
    if (!s) this.slots.set(provider, (s = new Semaphore(this.opts.concurrency)));
    return s;
  }

  async execute(jobs: Job<'sms.send' | 'email.send'>[]): Promise<Outcome[]> {
    const ids = jobs.map((j) => (j.payload as SendJob)?.messageId);
    const valid = ids.filter((id): id is string => typeof id === 'string' && UUID.test(id));
    // A send that starts after this could outlive the lease, and another claim would send it again.
    const sendBy = Date.now() + this.opts.leaseMs - this.opts.providerTimeoutMs - 1000;
    const claimed = await this.ledger.claim(valid, this.opts.workerId, this.opts.leaseMs);
    const byId = new Map(claimed.map((m) => [m.id, m]));
    const taken = claimed.filter((m) => m.leaseExpired).length;
    if (taken) {
      leaseExpired.inc({ channel: this.sender.channel, by: 'worker' }, taken);
      this.log.warn({ messages: taken }, 'took over claims whose lease ran out; the provider may receive these twice');
    }
    const contents = await this.contents([...new Set(claimed.map((m) => m.campaignId))]);

    const results = new Map<string, { record: SendRecord; outcome: Outcome; notMobile?: boolean; addressEffect?: AddressEffect }>();
    await Promise.all(
      claimed.map(async (m) => {
        const provider = this.sender.providerFor(m);
        const slots = this.slotsOf(provider);
        await slots.acquire();
        try {
          results.set(
            m.id,
            Date.now() > sendBy
              ? {
                  record: { id: m.id, attempts: m.attempts, status: 'deferred', provider, error: 'not sent: no provider slot within the claim lease', retryInMs: 0 },
                  outcome: retry(0, 'lease too short'),
                }
              : await this.sendOne(m, provider, contents.get(m.campaignId)!),
          );
        } finally {
          slots.release();
        }
      }),
    );
    await this.record([...results.values()].map((r) => r.record));
    await this.markNotMobile(claimed.filter((m) => results.get(m.id)?.notMobile));
    await this.applyAddressEffects(claimed.flatMap((m) => {
      const effect = results.get(m.id)?.addressEffect;
      return effect ? [{ ...effect, tenantId: m.tenantId, address: m.address }] : [];
    }));
    if (claimed.length) this.log.debug({ jobs: jobs.length, claimed: claimed.length }, 'batch dispatched');
    // A job whose row was not claimable (already sent, or claimed by a live worker) is done here;
    // one that names no message of ours is dropped.
    return ids.map((id) => (byId.has(id) ? results.get(id)!.outcome : typeof id === 'string' && UUID.test(id) ? ack() : drop('not a message id')));
  }

  /**
   * The submissions happened: losing their record would send the batch again when the lease runs
   * out, so a transient database failure (deadlock, failover) is retried within the lease.
   */
  private async record(records: SendRecord[]): Promise<void> {
    const delays = [100, 500, 2000, 5000];
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.ledger.recordResults(records, this.opts.workerId);
      } catch (err) {
        if (attempt >= delays.length) throw err;
        this.log.warn({ err: (err as Error).message, attempt: attempt + 1 }, 'recording results failed; retrying');
        await new Promise((r) => setTimeout(r, delays[attempt]));
      }
    }
  }

  /** Best effort: the rejection is recorded either way, and the next report of that number marks it again. */
  private async markNotMobile(messages: ClaimedMessage[]): Promise<void> {
    if (!messages.length) return;
    try {
      await this.ledger.markNotMobile(messages.map((m) => ({ tenantId: m.tenantId, address: m.address })));
    } catch (err) {
      this.log.warn({ err: (err as Error).message, messages: messages.length }, 'marking numbers not mobile failed');
    }
  }

  /** Best effort, as markNotMobile: the bounce is recorded either way. */
  private async applyAddressEffects(effects: MessageAddressEffect[]): Promise<void> {
    if (!effects.length) return;
    try {
      await this.ledger.applyAddressEffects(effects);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, messages: effects.length }, 'recording address effects failed');
    }
  }

  private async sendOne(
    m: ClaimedMessage,
    provider: string,
    content: C,
  ): Promise<{ record: SendRecord; outcome: Outcome; notMobile?: boolean; addressEffect?: AddressEffect }> {
    const labels = { channel: this.sender.channel, provider };
    const started = process.hrtime.bigint();
    try {
      const result = await this.sender.send(m, content);
      providerLatency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      if (result.kind === 'accepted') {
        messagesSent.inc(labels);
        return { record: { id: m.id, attempts: m.attempts, status: 'sent', provider, providerMessageId: result.providerMessageId, acceptedAt: new Date() }, outcome: ack() };
      }
      if (result.kind === 'deferred') {
        messagesFailed.inc({ ...labels, kind: 'soft_bounce' });
        return this.softBounce(m, provider, result.error, result.retryAfterMs);
      }
      messagesFailed.inc({ ...labels, kind: 'rejected' });
      return {
        record: { id: m.id, attempts: m.attempts, status: result.status, provider, error: result.error },
        outcome: drop(result.error),
        notMobile: result.markNotMobile,
        addressEffect: result.addressEffect,
      };
    } catch (err) {
      const open = isBreakerOpenError(err);
      if (!open && !(err instanceof RetryableProviderError)) {
        this.log.error({ err, messageId: m.id, tenantId: m.tenantId, campaignId: m.campaignId }, 'unexpected send failure');
      }
      messagesFailed.inc({ ...labels, kind: open ? 'breaker_open' : 'retryable' });
      const delay = Math.max(
        (err as RetryableProviderError).retryAfterMs ?? 0,
        backoffMs(m.attempts, this.opts.retryBaseMs, this.opts.retryMaxMs),
      );
      const error = open ? `${provider}: circuit open` : (err as Error).message;
      if (Date.now() + delay > m.createdAt.getTime() + this.opts.validityMs) {
        const expired = `validity period expired: ${error}`;
        return { record: { id: m.id, attempts: m.attempts, status: 'failed', provider, error: expired }, outcome: drop(expired) };
      }
      return { record: { id: m.id, attempts: m.attempts, status: 'deferred', provider, error, retryInMs: delay }, outcome: retry(delay, error) };
    }
  }

  /** A soft bounce waits (deferred, next_attempt_at) and is tried again, until its window closes. */
  private softBounce(m: ClaimedMessage, provider: string, error: string, retryAfterMs?: number): { record: SendRecord; outcome: Outcome } {
    const sb = this.opts.softBounce ?? { windowMs: this.opts.validityMs, expiredStatus: 'failed' as const, retryMaxMs: this.opts.retryMaxMs };
    const delay = Math.max(retryAfterMs ?? 0, backoffMs(m.attempts, this.opts.retryBaseMs, sb.retryMaxMs));
    if (Date.now() + delay > m.createdAt.getTime() + sb.windowMs) {
      const expired = `soft bounce past its window: ${error}`;
      return { record: { id: m.id, attempts: m.attempts, status: sb.expiredStatus, provider, error: expired }, outcome: drop(expired) };
    }
    return { record: { id: m.id, attempts: m.attempts, status: 'deferred', provider, error, retryInMs: delay }, outcome: retry(delay, error) };
  }

  private async contents(campaignIds: string[]): Promise<Map<string, C>> {
    const missing = campaignIds.filter((id) => !this.contentCache.has(id));
    if (missing.length) {
      const rows: { id: string; content: C }[] = await this.ds.query('SELECT id, content FROM campaigns WHERE id = ANY($1::uuid[])', [missing]);
      if (this.contentCache.size > 1000) this.contentCache.clear();
      for (const r of rows) this.contentCache.set(r.id, r.content);
    }
    return new Map(campaignIds.map((id) => [id, this.contentCache.get(id)!]));
  }
}
