import { logger, statusEvents } from '@utskick/observability';
import { sqlRows } from '@utskick/persistence';
import { smsReportEventId, SmsStatusSource } from '@utskick/providers';
import { DataSource } from 'typeorm';
import { MessageLedger, StatusEvent } from './message-ledger';

/** Past this age a `sent` SMS is no longer polled: no report is coming, and `sent` is final. */
export const POLL_GIVE_UP_MS = 3 * 24 * 3600 * 1000;
const FETCH_CONCURRENCY = 16;

export interface PollUnreportedInput {
  /** A `sent` message without a report this long is asked about, and again after as long. */
  afterMs: number;
  limit?: number;
}

export interface PollResult {
  claimed: number;
  fetched: number;
  applied: number;
  failed: number;
}

/**
 * Settles `sent` SMS whose report never came by asking their provider. A claim sets polled_at
 * (rows locked by another worker are skipped); each answer goes through the ledger as the very
 * event its callback would be (same source and provider event id), so a late callback is a duplicate.
 */
export class PollUnreportedSms {
  private readonly log = logger('poll-unreported-sms');
  private readonly sources: Map<string, SmsStatusSource>;

  constructor(
    private readonly ds: DataSource,
    private readonly ledger: MessageLedger,
    sources: SmsStatusSource[],
  ) {
    this.sources = new Map(sources.map((s) => [s.name, s]));
  }

  async execute(input: PollUnreportedInput): Promise<PollResult> {
    const rows = await sqlRows(
      this.ds,
      `WITH cand AS (
         SELECT id FROM messages
          WHERE channel = 'sms' AND status = 'sent'
            AND sent_at < now() - make_interval(secs => $1::double precision / 1000)
            AND sent_at > now() - make_interval(secs => $3::double precision / 1000)
            AND (polled_at IS NULL OR polled_at < now() - make_interval(secs => $1::double precision / 1000))
          ORDER BY sent_at LIMIT $2
          FOR UPDATE SKIP LOCKED
       )
       UPDATE messages m SET polled_at = now() FROM cand WHERE m.id = cand.id
       RETURNING m.id, m.tenant_id, m.provider, m.provider_message_id`,
      [input.afterMs, input.limit ?? 500, POLL_GIVE_UP_MS],
    );
    const result: PollResult = { claimed: rows.length, fetched: 0, applied: 0, failed: 0 };
    const events: StatusEvent[] = [];
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const r = rows[next++];
        const source = this.sources.get((r.provider as string | null) ?? 'twilio');
        const pmid = r.provider_message_id as string | null;
        if (!source || !pmid) continue;
        try {
          const polled = await source.fetchStatus(pmid);
          if (!polled) continue;
          result.fetched++;
          const report = source.report(polled);
          // Still on its way (or unknown to our table): nothing to settle yet.
          if (!report || report.status === null || report.status === 'sent') continue;
          events.push({
            messageId: r.id as string,
            tenantId: r.tenant_id as string,
            status: report.status,
            eventType: polled.status.toLowerCase(),
            source: source.name,
            providerEventId: smsReportEventId(pmid, polled.status),
            providerMessageId: pmid,
            error: report.error,
            payload: polled.payload,
            markNotMobile: report.markNotMobile,
          });
        } catch (err) {
          result.failed++;
          this.log.warn({ err: (err as Error).message, messageId: r.id, tenantId: r.tenant_id, provider: source.name }, 'status poll failed');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, rows.length) }, worker));
    if (events.length) {
      const applied = await this.ledger.applyEvents(events);
      result.applied = applied.applied;
      statusEvents.inc({ source: 'poll', result: 'applied' }, applied.applied);
      statusEvents.inc({ source: 'poll', result: 'duplicate' }, applied.duplicates);
    }
    if (rows.length) this.log.info({ ...result }, 'polled unreported SMS');
    return result;
  }
}
