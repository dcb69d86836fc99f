import { Injectable } from '@nestjs/common';
import { JobPublisher, SendJob } from '@utskick/messaging';
import { sendJobMsgId } from '@utskick/messages';
import { contextFromHeaders, inSpan, logger, SpanKind } from '@utskick/observability';
import { DataSource, EntityManager } from 'typeorm';
import { Audience } from './campaign.dto';

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
      for (;;) {
        const batch = await this.ds.transaction((em) => this.nextBatch(em, input.campaignId, opts.batchSize));
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

  private async nextBatch(em: EntityManager, campaignId: string, size: number): Promise<BatchResult | null> {
    const [c] = await em.query(
      `SELECT id, tenant_id, channel, status, audience, fanout_cursor FROM campaigns
        WHERE id = $1 AND status IN ('queued', 'dispatching') AND NOT fanout_done
        FOR UPDATE SKIP LOCKED`,
      [campaignId],
    );
    if (!c) return null;
    if (c.status === 'queued') {
      await em.query(`UPDATE campaigns SET status = 'dispatching', dispatching_at = now(), updated_at = now() WHERE id = $1`, [campaignId]);
    }
    const audience = c.audience as Audience;
    const ids = 'contactIds' in audience ? audience.contactIds : null;
    const sms = c.channel === 'sms';
    // The address a message goes to, and why a contact cannot receive it (checked before duplicates).
    const address = sms
      ? `CASE WHEN c.phone_e164 IS NOT NULL THEN c.phone_e164 ELSE NULLIF(btrim(c.phone), '') END`
      : `NULLIF(lower(btrim(c.email)), '')`;
    // One plain addr-spec only: a list ("a@x, b@y") or a bare name must never reach an SMTP envelope.
    const unusable = sms
      ? `CASE WHEN c.phone_e164 IS NULL OR c.phone_type IN ('FIXED_LINE', 'INVALID') THEN 'cannot_receive_sms' END`
      : `CASE WHEN lower(btrim(c.email)) !~ '^[^\\s@,;:<>()\\[\\]"\\u00a0]+@[a-z0-9\\u00a1-\\uffff]([a-z0-9\\u00a1-\\uffff-]*[a-z0-9\\u00a1-\\uffff])?(\\.[a-z0-9\\u00a1-\\uffff]([a-z0-9\\u00a1-\\uffff-]*[a-z0-9\\u00a1-\\uffff])?)+$' THEN 'no_email' END`;
    const missing = sms ? `'no_primary_phone'` : `'no_email'`;
    const [r] = await em.query(
      `WITH picked AS (
         SELECT c.id AS contact_id, ${address} AS address, ${unusable} AS unusable
           FROM contacts c
          WHERE c.tenant_id = $1 AND ($3::uuid IS NULL OR c.id > $3)
            AND ($5::uuid[] IS NULL OR c.id = ANY($5::uuid[]))
          ORDER BY c.id LIMIT $4
       ), ranked AS (
         SELECT p.*, row_number() OVER (PARTITION BY p.address ORDER BY p.contact_id) AS rn FROM picked p
       ), decided AS (
         SELECT r.contact_id, r.address,
                CASE WHEN r.address IS NULL THEN ${missing}
                     WHEN r.rn > 1 OR EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = $2 AND m.address = r.address
                                               AND m.status <> 'duplicate_address') THEN 'duplicate_address'
                     WHEN r.unusable IS NOT NULL THEN r.unusable
                     WHEN EXISTS (SELECT 1 FROM suppressions s WHERE s.channel = $6 AND s.address = r.address) THEN 'suppressed'
                     ELSE 'queued' END AS status
           FROM ranked r
       ), ins AS (
         INSERT INTO messages (tenant_id, campaign_id, contact_id, channel, address, status, final_at)
         SELECT $1, $2, d.contact_id, $6, d.address, d.status, CASE WHEN d.status = 'queued' THEN NULL ELSE now() END
           FROM decided d ORDER BY d.contact_id
         ON CONFLICT (campaign_id, contact_id) DO NOTHING
         RETURNING id, status
       )
       SELECT (SELECT contact_id FROM picked ORDER BY contact_id DESC LIMIT 1) AS last_contact,
              (SELECT count(*) FROM picked)::int AS picked,
              (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM ins WHERE status = 'queued') AS queued`,
      [c.tenant_id, campaignId, c.fanout_cursor, size, ids, c.channel],
    );
    const done = r.picked < size;
    await em.query(
      `UPDATE campaigns SET fanout_cursor = COALESCE($2, fanout_cursor), fanout_done = $3, updated_at = now() WHERE id = $1`,
      [campaignId, r.last_contact, done],
    );
    return {
      campaignId,
      tenantId: c.tenant_id,
      channel: c.channel,
      queued: parseUuidArray(r.queued),
      picked: r.picked,
      done,
    };
  }
}

/** node-pg returns uuid[] as a Postgres array literal. */
function parseUuidArray(v: unknown): string[] {
  if (Array.isArray(v)) return v as string[];
  const s = String(v ?? '{}');
  return s.length <= 2 ? [] : s.slice(1, -1).split(',');
}
