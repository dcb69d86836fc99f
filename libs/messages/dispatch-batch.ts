import { ack, drop, Job, Outcome, retry, SendJob } from '@utskick/messaging';
import { messagesFailed, messagesSent, providerLatency, logger } from '@utskick/observability';
import { isBreakerOpenError, RetryableProviderError, SubmitResult } from '@utskick/providers';
import { DataSource } from 'typeorm';
import { ClaimedMessage, MessageLedger, SendRecord } from './message-ledger';

/** Sends one claimed message through a provider (behind its breaker); throws when worth retrying. */
export interface ChannelSender<C> {
  channel: 'sms' | 'email';
  provider: string;
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
}

/** Exponential back-off with jitter, by attempt number (1-based). */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

/**
 * A worker's batch: claim the rows (skipping any already claimed or sent), submit each with
 * bounded concurrency, record every result in one write, then answer the stream per job.
 */
export class DispatchBatch<C> {
  private readonly log = logger('dispatch');
  private readonly contentCache = new Map<string, C>();

  constructor(
    private readonly ds: DataSource,
    private readonly ledger: MessageLedger,
    private readonly sender: ChannelSender<C>,
    private readonly opts: DispatchOptions,
  ) {}

  async execute(jobs: Job<'sms.send' | 'email.send'>[]): Promise<Outcome[]> {
    const ids = jobs.map((j) => (j.payload as SendJob).messageId);
    const claimed = await this.ledger.claim(ids, this.opts.workerId, this.opts.leaseMs);
    const byId = new Map(claimed.map((m) => [m.id, m]));
    const contents = await this.contents([...new Set(claimed.map((m) => m.campaignId))]);

    const results = new Map<string, { record: SendRecord; outcome: Outcome }>();
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const m = claimed[next++];
        results.set(m.id, await this.sendOne(m, contents.get(m.campaignId)!));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, claimed.length) }, worker));
    await this.ledger.recordResults([...results.values()].map((r) => r.record));
    if (claimed.length) this.log.debug({ jobs: jobs.length, claimed: claimed.length }, 'batch dispatched');
    // A job whose row was not claimable (already sent, or claimed by a live worker) is done here.
    return ids.map((id) => (byId.has(id) ? results.get(id)!.outcome : ack()));
  }

  private async sendOne(m: ClaimedMessage, content: C): Promise<{ record: SendRecord; outcome: Outcome }> {
    const labels = { channel: this.sender.channel, provider: this.sender.provider };
    const started = process.hrtime.bigint();
    try {
      const result = await this.sender.send(m, content);
      providerLatency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      if (result.kind === 'accepted') {
        messagesSent.inc(labels);
        return { record: { id: m.id, status: 'sent', provider: this.sender.provider, providerMessageId: result.providerMessageId, acceptedAt: new Date() }, outcome: ack() };
      }
      messagesFailed.inc({ ...labels, kind: 'rejected' });
      return { record: { id: m.id, status: result.status, provider: this.sender.provider, error: result.error }, outcome: drop(result.error) };
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
      const error = open ? `${this.sender.provider}: circuit open` : (err as Error).message;
      if (Date.now() + delay > m.createdAt.getTime() + this.opts.validityMs) {
        const expired = `validity period expired: ${error}`;
        return { record: { id: m.id, status: 'failed', provider: this.sender.provider, error: expired }, outcome: drop(expired) };
      }
      return { record: { id: m.id, status: 'deferred', provider: this.sender.provider, error, retryInMs: delay }, outcome: retry(delay, error) };
    }
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
