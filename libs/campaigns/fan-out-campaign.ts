import { Injectable } from '@nestjs/common';
import { JobPublisher, SendJob } from '@utskick/messaging';
import { sendJobMsgId } from '@utskick/messages';
import { contextFromHeaders, inSpan, logger, SpanKind } from '@utskick/observability';
import { DataSource, EntityManager } from 'typeorm';
import { reserveCredit } from '@utskick/credits';
import { ValidationError } from '@utskick/http';
import { sqlRows } from '@utskick/persistence';
import { CampaignRow, loadSendPlan, resolveAudienceBatch, SendPlan } from './resolve-audience';

export interface FanOutOptions {
  batchSize: number;
  pauseMs: number;
  publishWindow: number;
  /** Checked between batches: a stopping scheduler leaves the rest to the next one (the cursor is committed). */
  shouldStop?: () => boolean;
}

interface BatchResult {
  campaignId: string;
  tenantId: string;
  channel: 'sms' | 'email';
  queued: string[];
  picked: number;
  done: boolean;
}

/** What one fan-out run keeps between its batches. */
interface FanOutRun {
  plan?: SendPlan;
  seen: Set<string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves a released campaign's audience batch by batch, in contact-id order: each batch's
 * message rows and the campaign's cursor are committed together (so a scheduler that dies
 * resumes where the last commit left off, without gaps or doubles), then its jobs are published.
 * A campaign row locked by another scheduler is left to it.
 */
@Injectable()
export class FanOutCampaign {
  private readonly log = logger('fan-out');
  constructor(
    private readonly ds: DataSource,
    private readonly publisher: JobPublisher,
  ) {}

  /** Runs the fan-out of one campaign to its end; returns how many messages were queued. */
  async execute(input: { campaignId: string; traceParent?: string | null }, opts: FanOutOptions): Promise<number> {
    const parent = contextFromHeaders((k) => (k === 'traceparent' ? input.traceParent ?? undefined : undefined));
    return inSpan('fan-out campaign', parent, SpanKind.INTERNAL, async () => {
      let total = 0;
      const run: FanOutRun = { seen: new Set() };
      for (;;) {
        let batch: BatchResult | null;
        try {
          batch = await this.ds.transaction((em) => this.nextBatch(em, input.campaignId, opts.batchSize, run));
        } catch (err) {
          if (err instanceof Unsendable) {
            this.log.warn({ campaignId: input.campaignId, reason: err.reason, queued: total }, 'campaign can no longer be sent as created; fan-out stopped');
            await this.stop(input.campaignId, err.reason);
            return total;
          }
          if (!(err instanceof InsufficientCredit)) throw err;
          this.log.warn({ campaignId: input.campaignId, needed: err.amount, queued: total }, 'credit ran out; fan-out stopped');
          await this.stop(input.campaignId, 'insufficient_credit');
          return total;
        }
        if (!batch) return total;
        total += batch.queued.length;
        const kind = batch.channel === 'sms' ? 'sms.send' : 'email.send';
        await this.publisher.publishMany(
          kind,
          batch.queued.map((id) => ({
            tenantId: batch.tenantId,
            payload: { messageId: id, tenantId: batch.tenantId, campaignId: batch.campaignId } satisfies SendJob,
            msgId: sendJobMsgId(id, 0),
          })),
          opts.publishWindow,
        );
        this.log.debug({ tenantId: batch.tenantId, campaignId: batch.campaignId, picked: batch.picked, queued: batch.queued.length }, 'fan-out batch');
        if (batch.done) {
          this.log.info({ tenantId: batch.tenantId, campaignId: batch.campaignId, queued: total }, 'fan-out complete');
          return total;
        }
        if (opts.shouldStop?.()) return total;
        if (opts.pauseMs) await sleep(opts.pauseMs);
      }
    });
  }

  private async nextBatch(em: EntityManager, campaignId: string, size: number, run: FanOutRun): Promise<BatchResult | null> {
    const [c] = await em.query(
      `SELECT id, tenant_id, channel, status, audience, content, address_book_id, fanout_cursor FROM campaigns
        WHERE id = $1 AND status IN ('queued', 'dispatching') AND NOT fanout_done
        FOR UPDATE SKIP LOCKED`,
      [campaignId],
    );
    if (!c) return null;
    if (c.status === 'queued') {
      await em.query(`UPDATE campaigns SET status = 'dispatching', dispatching_at = now(), updated_at = now() WHERE id = $1`, [campaignId]);
    }
    // A sender removed (or a book gone) after execute fails the same way on every retry: stop instead.
    run.plan ??= await loadSendPlan(em, c as CampaignRow).catch((err: unknown) => {
      throw err instanceof ValidationError ? new Unsendable(err.errors.some((e) => e.field === 'from') ? 'sender_removed' : 'address_book_removed') : err;
    });
    const plan = run.plan;
    const { recipients, lastContact, picked } = await resolveAudienceBatch(em, plan, c.fanout_cursor, size, run.seen);
    const inserted = await sqlRows<{ id: string; status: string; cost: string | null }>(
      em,
      `INSERT INTO messages (tenant_id, campaign_id, contact_id, channel, address, status, final_at, body, parts, cost, sender, provider)
       SELECT $1, $2, r.contact_id, $3, r.address, r.status, CASE WHEN r.status = 'queued' THEN NULL ELSE now() END,
              r.body, r.parts, r.cost, CASE WHEN r.status = 'queued' THEN $9 END, CASE WHEN r.status = 'queued' THEN $10 END
         FROM unnest($4::uuid[], $5::text[], $6::text[], $7::text[], $8::int[], $11::bigint[])
           AS r(contact_id, address, status, body, parts, cost)
       ON CONFLICT (campaign_id, contact_id) DO NOTHING
       RETURNING id, status, cost`,
      [
        plan.tenantId,
        campaignId,
        plan.channel,
        recipients.map((r) => r.contactId),
        recipients.map((r) => r.address),
        recipients.map((r) => r.status),
        recipients.map((r) => r.body),
        recipients.map((r) => r.parts),
        plan.sms?.from ?? null,
        plan.sms?.provider ?? null,
        recipients.map((r) => r.cost),
      ],
    );
    if (plan.email?.confirmationRequest) {
      // Unconfirmed → Confirmation requested, for the addresses this batch writes to.
      await em.query(
        `INSERT INTO email_addresses (tenant_id, address, status, confirmation_requested_at, updated_at)
         SELECT $1, m.address, 'confirmation_requested', now(), now() FROM messages m
          WHERE m.tenant_id = $1 AND m.id = ANY($2::uuid[]) AND m.status = 'queued'
         ON CONFLICT (tenant_id, address) DO UPDATE SET status = 'confirmation_requested', confirmation_requested_at = now(), updated_at = now()
          WHERE email_addresses.status = 'unconfirmed'`,
        [plan.tenantId, inserted.map((r) => r.id)],
      );
    }
    // The batch pays for exactly the rows it wrote, in the same transaction (contracts.md).
    const cost = inserted.reduce((sum, r) => sum + Number(r.cost ?? 0), 0);
    if (!(await reserveCredit(em, plan.tenantId, campaignId, cost))) throw new InsufficientCredit(cost);
    const done = picked < size;
    await em.query(
      `UPDATE campaigns SET fanout_cursor = COALESCE($2, fanout_cursor), fanout_done = $3, updated_at = now() WHERE id = $1`,
      [campaignId, lastContact, done],
    );
    return {
      campaignId,
      tenantId: plan.tenantId,
      channel: plan.channel,
      queued: inserted.filter((r) => r.status === 'queued').map((r) => r.id).sort(),
      picked,
      done,
    };
  }

  /** Credit ran out mid-campaign, or its sender is gone: the rest of the audience is not fanned out, and the campaign says why. */
  private async stop(campaignId: string, reason: string): Promise<void> {
    await this.ds.query(
      `UPDATE campaigns SET fanout_done = true, status = CASE WHEN status = 'queued' THEN 'dispatching' ELSE status END,
              dispatching_at = COALESCE(dispatching_at, now()), status_reason = $2, updated_at = now()
        WHERE id = $1 AND status IN ('queued', 'dispatching')`,
      [campaignId, reason],
    );
  }
}

class InsufficientCredit extends Error {
  constructor(readonly amount: number) {
    super(`a fan-out batch needs ${amount} and the balance is short`);
  }
}


class Unsendable extends Error {
  constructor(readonly reason: string) {
    super(`the campaign can no longer be sent as created: ${reason}`);
  }
}
