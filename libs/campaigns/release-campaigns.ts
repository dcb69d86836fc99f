import { Injectable } from '@nestjs/common';
import { JobPublisher, NatsService, SendJob } from '@utskick/messaging';
import { MessageLedger, sendJobMsgId } from '@utskick/messages';
import { leaseExpired, logger } from '@utskick/observability';
import { sqlRows } from '@utskick/persistence';
import { DataSource } from 'typeorm';

export interface DueCampaign {
  id: string;
  tenantId: string;
  traceParent: string | null;
}

/** Campaigns whose fan-out is due or unfinished (a scheduler died midway), oldest first. */
@Injectable()
export class FindDueCampaigns {
  constructor(private readonly ds: DataSource) {}

  async execute(): Promise<DueCampaign[]> {
    const rows: { id: string; tenant_id: string; trace_parent: string | null }[] = await this.ds.query(
      `SELECT id, tenant_id, trace_parent FROM campaigns
        WHERE status IN ('queued', 'dispatching') AND NOT fanout_done AND release_at <= now()
        ORDER BY release_at LIMIT 100`,
    );
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, traceParent: r.trace_parent }));
  }
}

/** A campaign is completed when its fan-out is done and no message is pending. */
@Injectable()
export class CompleteCampaigns {
  private readonly log = logger('complete-campaigns');
  constructor(private readonly ds: DataSource) {}

  async execute(): Promise<string[]> {
    const rows = await sqlRows<{ id: string; tenant_id: string }>(
      this.ds,
      `UPDATE campaigns c SET status = 'completed', completed_at = now(), updated_at = now()
        WHERE c.status = 'dispatching' AND c.fanout_done
          AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = c.tenant_id AND m.campaign_id = c.id
                            AND m.status IN ('queued', 'sending', 'deferred'))
        RETURNING c.id, c.tenant_id`,
    );
    for (const r of rows) this.log.info({ tenantId: r.tenant_id, campaignId: r.id }, 'campaign completed');
    return rows.map((r) => r.id);
  }
}

/**
 * Re-publishes rows left pending past their deadline: the ledger, not the stream, is the truth.
 * While the send stream still holds jobs, a quiet row's job may just be waiting in that backlog,
 * so queued rows are re-driven only after `backlogStaleMs`; once the stream is empty (or was
 * deleted) any row pending past `staleMs` has lost its job. Expired claims are re-driven at once.
 */
@Injectable()
export class SweepStaleMessages {
  private readonly log = logger('sweeper');
  constructor(
    private readonly ledger: MessageLedger,
    private readonly publisher: JobPublisher,
    private readonly nats: NatsService,
  ) {}

  /** Jobs the send stream holds (work-queue retention: published and not yet acknowledged). */
  private async backlog(): Promise<number> {
    try {
      const info = await this.nats.jsm.streams.info(this.nats.subjects.stream('SEND'));
      return info.state.messages;
    } catch {
      return 0; // no stream: nothing is waiting anywhere
    }
  }

  async execute(input: { staleMs: number; backlogStaleMs: number; publishWindow: number }): Promise<number> {
    let total = 0;
    const staleMs = (await this.backlog()) > 0 ? Math.max(input.staleMs, input.backlogStaleMs) : input.staleMs;
    for (;;) {
      const rows = await this.ledger.takeStale(staleMs);
      if (!rows.length) break;
      for (const channel of ['sms', 'email'] as const) {
        const items = rows.filter((r) => r.channel === channel);
        const expired = items.filter((r) => r.leaseExpired).length;
        if (expired) leaseExpired.inc({ channel, by: 'sweeper' }, expired);
        await this.publisher.publishMany(
          channel === 'sms' ? 'sms.send' : 'email.send',
          items.map((r) => ({
            tenantId: r.tenantId,
            payload: { messageId: r.id, tenantId: r.tenantId, campaignId: r.campaignId } satisfies SendJob,
            msgId: sendJobMsgId(r.id, r.dispatchSeq),
          })),
          input.publishWindow,
        );
      }
      total += rows.length;
      if (rows.length < 5000) break;
    }
    if (total) this.log.info({ republished: total }, 'stale messages re-published');
    return total;
  }
}
