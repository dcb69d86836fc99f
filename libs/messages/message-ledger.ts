import { Injectable } from '@nestjs/common';
import { sqlRows, storableString } from '@utskick/persistence';
import { AddressEffect } from '@utskick/providers';
import { DataSource, EntityManager } from 'typeorm';
import { canTransition, isMessageStatus, MessageStatus } from './message-status';

export interface ClaimedMessage {
  id: string;
  tenantId: string;
  campaignId: string;
  contactId: string;
  channel: 'sms' | 'email';
  address: string;
  attempts: number;
  createdAt: Date;
  /** Taken over from a claim whose lease ran out: the provider may already have it. */
  leaseExpired: boolean;
  /** The provider the fan-out chose (the tenant's at the time); null for rows from before that. */
  provider: string | null;
  /** SMS: the exact text to send and its sender, rendered by the fan-out; null: the campaign's content. */
  body: string | null;
  sender: string | null;
}

/** A submission's result; `attempts` is the claim it belongs to (every claim increments it). */
export type SendRecord = { attempts: number } & (
  | { id: string; status: 'sent'; provider: string; providerMessageId: string; acceptedAt: Date }
  | { id: string; status: MessageStatus; provider: string; error: string }
  | { id: string; status: 'deferred'; provider: string; error: string; retryInMs: number }
);

export interface StatusEvent {
  messageId: string;
  status: MessageStatus | null; // null: recorded as an event only (provider's own deferred/processed)
  eventType: string;
  source: string;
  providerEventId: string | null;
  providerMessageId?: string | null;
  error?: string | null;
  payload: unknown;
  /** The tenant the event's URL was authenticated for: a message of another tenant counts as unknown. */
  tenantId?: string;
  /** The report says the number cannot take SMS (Twilio 30006): the tenant's contacts with it are marked. */
  markNotMobile?: boolean;
  /** What the report proves about the e-mail address (hard bounce, complaint, provider unsubscribe); applied once, with the event. */
  addressEffect?: AddressEffect | null;
}

/** An address effect bound to the message it came from (its tenant and address). */
export interface MessageAddressEffect extends AddressEffect {
  tenantId: string;
  address: string;
}

export interface ApplyResult {
  stored: number;
  duplicates: number;
  applied: number;
  unknown: number;
}

export interface Republished {
  id: string;
  tenantId: string;
  campaignId: string;
  channel: 'sms' | 'email';
  dispatchSeq: number;
  leaseExpired: boolean;
}

/**
 * The per-recipient ledger: claims, send results, provider events and the sweeper, all written
 * set-wise (one statement per batch). The row is the truth; jobs on the stream only point at it.
 */
@Injectable()
export class MessageLedger {
  constructor(private readonly ds: DataSource) {}

  /**
   * Claims rows still ours to send (queued, deferred, or a claim whose lease ran out); others are
   * skipped. Re-claiming an expired lease is the one way a message can reach the provider twice (the
   * dead worker may have submitted it), so each such claim is recorded as a `lease_expired` event.
   * A row whose address opted out (its book or tenant) or was blocked since the fan-out is not
   * claimed but skipped: nothing is sent after a STOP.
   */
  async claim(ids: string[], workerId: string, leaseMs: number): Promise<ClaimedMessage[]> {
    if (!ids.length) return [];
    const rows = await sqlRows(
      this.ds,
      `WITH cand AS (
         SELECT m.id, m.status AS was, m.claimed_by AS was_by,
                CASE WHEN EXISTS (SELECT 1 FROM opt_outs o WHERE o.tenant_id = m.tenant_id AND o.channel = m.channel AND o.address = m.address
                                     AND (o.book_id IS NULL OR o.book_id = (SELECT c.address_book_id FROM campaigns c WHERE c.id = m.campaign_id)))
                       THEN 'opted_out'
                     WHEN EXISTS (SELECT 1 FROM suppressions s WHERE s.channel = m.channel AND s.address = m.address) THEN 'suppressed'
                END AS blocked
           FROM messages m
          WHERE m.id = ANY($1::uuid[])
            AND (m.status IN ('queued', 'deferred') OR (m.status = 'sending' AND m.claimed_until < now()))
          ORDER BY m.id FOR UPDATE OF m
       ), skip AS (
         UPDATE messages m
            SET status = cand.blocked, error = 'opted out or blocked after the fan-out', final_at = now(), next_attempt_at = NULL,
                claimed_by = NULL, claimed_until = NULL, updated_at = now()
           FROM cand WHERE m.id = cand.id AND cand.blocked IS NOT NULL
         RETURNING m.id, m.tenant_id, m.status
       ), skip_ev AS (
         INSERT INTO message_events (tenant_id, message_id, status, source, payload, applied)
         SELECT tenant_id, id, status, 'worker', jsonb_build_object('reason', 'blocked_after_fan_out'), true FROM skip
       ), upd AS (
         UPDATE messages m
            SET status = 'sending', claimed_by = $2, claimed_until = now() + make_interval(secs => $3::double precision / 1000),
                attempts = m.attempts + 1, updated_at = now()
           FROM cand WHERE m.id = cand.id AND cand.blocked IS NULL
         RETURNING m.id, m.tenant_id, m.campaign_id, m.contact_id, m.channel, m.address, m.attempts, m.created_at,
                   m.provider, m.body, m.sender, cand.was, cand.was_by
       ), ev AS (
         INSERT INTO message_events (tenant_id, message_id, status, source, payload, applied)
         SELECT tenant_id, id, 'sending', 'worker', jsonb_build_object('reason', 'lease_expired', 'previousClaim', was_by, 'claimedBy', $2::text), true
           FROM upd WHERE was = 'sending'
       )
       SELECT * FROM upd`,
      [[...ids].sort(), workerId, leaseMs],
    );
    return rows.map((r) => ({
      id: r.id as string,
      tenantId: r.tenant_id as string,
      campaignId: r.campaign_id as string,
      contactId: r.contact_id as string,
      channel: r.channel as 'sms' | 'email',
      address: r.address as string,
      attempts: r.attempts as number,
      createdAt: r.created_at as Date,
      leaseExpired: r.was === 'sending',
      provider: (r.provider as string | null) ?? null,
      body: (r.body as string | null) ?? null,
      sender: (r.sender as string | null) ?? null,
    }));
  }

  /**
   * Records a batch of submissions in one statement, with an event row each. Only a row still
   * under the claim the result belongs to (this worker, this attempt) takes the result (status, error, retry time, claim); a report that
   * already moved it past `sending`, or a newer claim after this worker's lease ran out, is kept.
   * The provider's id and acceptance time are recorded either way.
   */
  async recordResults(records: SendRecord[], workerId: string): Promise<void> {
    if (!records.length) return;
    const sorted = [...records].sort((a, b) => (a.id < b.id ? -1 : 1));
    await this.ds.query(
      `WITH r AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::timestamptz[], $9::int[])
           AS r(id, status, provider, provider_message_id, error, retry_ms, accepted_at, attempts)
       ), upd AS (
         UPDATE messages m SET
           status = CASE WHEN m.status = 'sending' AND m.claimed_by = $8 AND m.attempts = r.attempts THEN r.status ELSE m.status END,
           provider = COALESCE(m.provider, r.provider),
           provider_message_id = COALESCE(m.provider_message_id, r.provider_message_id),
           error = CASE WHEN m.status = 'sending' AND m.claimed_by = $8 AND m.attempts = r.attempts
                        THEN CASE WHEN r.status = 'sent' THEN NULL ELSE r.error END ELSE m.error END,
           sent_at = CASE WHEN r.status = 'sent' THEN COALESCE(m.sent_at, r.accepted_at, now()) ELSE m.sent_at END,
           next_attempt_at = CASE WHEN m.status = 'sending' AND m.claimed_by = $8 AND m.attempts = r.attempts
                                  THEN CASE WHEN r.status = 'deferred' THEN now() + make_interval(secs => r.retry_ms::double precision / 1000) END
                                  ELSE m.next_attempt_at END,
           final_at = CASE WHEN m.status = 'sending' AND m.claimed_by = $8 AND m.attempts = r.attempts AND r.status NOT IN ('sent', 'deferred')
                           THEN COALESCE(m.final_at, now()) ELSE m.final_at END,
           claimed_by = CASE WHEN m.status = 'sending' AND m.claimed_by = $8 AND m.attempts = r.attempts THEN NULL ELSE m.claimed_by END,
           claimed_until = CASE WHEN m.status = 'sending' AND m.claimed_by = $8 AND m.attempts = r.attempts THEN NULL ELSE m.claimed_until END,
           updated_at = now()
         FROM r WHERE m.id = r.id
         RETURNING m.id, m.tenant_id, r.status, r.error, m.status = r.status AS applied
       )
       INSERT INTO message_events (tenant_id, message_id, status, source, payload, applied)
       SELECT upd.tenant_id, upd.id, upd.status, 'worker', CASE WHEN upd.error IS NULL THEN NULL ELSE jsonb_build_object('error', upd.error) END, upd.applied
         FROM upd`,
      [
        sorted.map((r) => r.id),
        sorted.map((r) => r.status),
        sorted.map((r) => r.provider),
        sorted.map((r) => ('providerMessageId' in r ? r.providerMessageId : null)),
        sorted.map((r) => ('error' in r ? r.error : null)),
        sorted.map((r) => ('retryInMs' in r ? r.retryInMs : 0)),
        sorted.map((r) => ('acceptedAt' in r ? r.acceptedAt : null)),
        workerId,
        sorted.map((r) => r.attempts),
      ],
    );
  }

  /**
   * Stores provider events once (by source + provider event id) and moves each message
   * forward where the status order allows. Unknown message ids are counted and dropped.
   */
  async applyEvents(events: StatusEvent[]): Promise<ApplyResult> {
    if (!events.length) return { stored: 0, duplicates: 0, applied: 0, unknown: 0 };
    return this.ds.transaction(async (em) => {
      const ids = [...new Set(events.map((e) => e.messageId))].sort();
      const current: { id: string; tenant_id: string; status: string; address: string | null; channel: string }[] = await em.query(
        `SELECT id, tenant_id, status, address, channel FROM messages WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [ids],
      );
      const byId = new Map(current.map((r) => [r.id, r]));
      const known = events.filter((e) => byId.has(e.messageId) && (!e.tenantId || byId.get(e.messageId)!.tenant_id === e.tenantId.toLowerCase()));
      const inserted = await this.insertEvents(em, known, byId);
      const notMobile = inserted.filter(({ event }) => event.markNotMobile && byId.get(event.messageId)!.address);
      await this.markNotMobile(
        notMobile.map(({ event }) => ({ tenantId: byId.get(event.messageId)!.tenant_id, address: byId.get(event.messageId)!.address! })),
        em,
      );
      // A duplicate report was stored, and acted on, the first time.
      await this.applyAddressEffects(
        inserted.flatMap(({ event }) => {
          const m = byId.get(event.messageId)!;
          return event.addressEffect && m.channel === 'email' && m.address ? [{ ...event.addressEffect, tenantId: m.tenant_id, address: m.address }] : [];
        }),
        em,
      );
      const state = new Map(current.map((r) => [r.id, r.status as MessageStatus]));
      const changed = new Map<string, { status: MessageStatus; providerMessageId: string | null; error: string | null }>();
      const appliedEventIds: string[] = [];
      for (const { event, rowId } of inserted) {
        if (!event.status) continue;
        const from = state.get(event.messageId)!;
        if (!isMessageStatus(from) || !canTransition(from, event.status)) continue;
        state.set(event.messageId, event.status);
        changed.set(event.messageId, {
          status: event.status,
          providerMessageId: event.providerMessageId ?? null,
          error: event.error == null ? null : storableString(event.error),
        });
        appliedEventIds.push(rowId);
      }
      if (changed.size) {
        const list = [...changed.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
        await em.query(
          `UPDATE messages m SET status = c.status,
              provider_message_id = COALESCE(m.provider_message_id, c.pmid),
              error = COALESCE(c.error, m.error),
              sent_at = CASE WHEN c.status = 'sent' THEN COALESCE(m.sent_at, now()) ELSE m.sent_at END,
              final_at = CASE WHEN c.status = 'sent' THEN m.final_at ELSE now() END,
              claimed_by = NULL, claimed_until = NULL, updated_at = now()
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS c(id, status, pmid, error)
            WHERE m.id = c.id`,
          [list.map(([id]) => id), list.map(([, c]) => c.status), list.map(([, c]) => c.providerMessageId), list.map(([, c]) => c.error)],
        );
        await em.query(`UPDATE message_events SET applied = true WHERE id = ANY($1::bigint[])`, [appliedEventIds]);
      }
      return {
        stored: inserted.length,
        duplicates: known.length - inserted.length,
        applied: appliedEventIds.length,
        unknown: events.length - known.length,
      };
    });
  }

  private async insertEvents(
    em: EntityManager,
    events: StatusEvent[],
    byId: Map<string, { tenant_id: string }>,
  ): Promise<{ event: StatusEvent; rowId: string }[]> {
    if (!events.length) return [];
    const key = (source: string, providerEventId: string | null, messageId: string, status: string) =>
      `${source}|${providerEventId ?? `${messageId}|${status}`}`;
    const rows: { id: string; source: string; provider_event_id: string | null; message_id: string; status: string }[] =
      await em.query(
        `INSERT INTO message_events (tenant_id, message_id, status, source, provider_event_id, payload, applied)
         SELECT e.tenant_id, e.message_id, e.status, e.source, e.provider_event_id, e.payload, false
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
             AS e(tenant_id, message_id, status, source, provider_event_id, payload)
         ON CONFLICT (source, provider_event_id) WHERE provider_event_id IS NOT NULL DO NOTHING
         RETURNING id, source, provider_event_id, message_id, status`,
        [
          events.map((e) => byId.get(e.messageId)!.tenant_id),
          events.map((e) => e.messageId),
          events.map((e) => e.status ?? e.eventType),
          events.map((e) => e.source),
          events.map((e) => e.providerEventId),
          events.map((e) => JSON.stringify(e.payload ?? null, storableJson)),
        ],
      );
    const rowIdByKey = new Map(rows.map((r) => [key(r.source, r.provider_event_id, r.message_id, r.status), r.id]));
    const out: { event: StatusEvent; rowId: string }[] = [];
    for (const event of events) {
      const k = key(event.source, event.providerEventId, event.messageId, event.status ?? event.eventType);
      const rowId = rowIdByKey.get(k);
      if (rowId === undefined) continue;
      rowIdByKey.delete(k); // the same event twice in one batch is stored, and applied, once
      out.push({ event, rowId });
    }
    return out;
  }

  /**
   * A provider said these numbers cannot take SMS: each tenant's contacts with the number are
   * marked, so its later sends skip them (`cannot_receive_sms`).
   */
  async markNotMobile(numbers: { tenantId: string; address: string }[], em: EntityManager = this.ds.manager): Promise<void> {
    if (!numbers.length) return;
    const unique = [...new Map(numbers.map((n) => [`${n.tenantId}|${n.address}`, n])).values()].sort((a, b) =>
      a.tenantId === b.tenantId ? (a.address < b.address ? -1 : 1) : a.tenantId < b.tenantId ? -1 : 1,
    );
    await em.query(
      `UPDATE contacts c SET phone_not_mobile = true
         FROM unnest($1::uuid[], $2::text[]) AS n(tenant_id, address)
        WHERE c.tenant_id = n.tenant_id AND c.phone_e164 = n.address AND NOT c.phone_not_mobile`,
      [unique.map((n) => n.tenantId), unique.map((n) => n.address)],
    );
  }

  /**
   * What reports prove about e-mail addresses. A hard bounce or a complaint puts the address on the
   * global list (reason and detail, never the tenant) and sets it to Problem for the message's
   * tenant; a provider's unsubscribe is a tenant-wide opt-out of that tenant only.
   */
  async applyAddressEffects(effects: MessageAddressEffect[], em: EntityManager = this.ds.manager): Promise<void> {
    if (!effects.length) return;
    const blocking = effects.filter((e) => e.kind !== 'unsubscribe');
    const optOuts = effects.filter((e) => e.kind === 'unsubscribe');
    if (blocking.length) {
      const global = [...new Map(blocking.map((e) => [e.address, e])).values()].sort((a, b) => (a.address < b.address ? -1 : 1));
      // The first proof stays: a later report adds nothing a tenant needs to see.
      await em.query(
        `INSERT INTO suppressions (channel, address, reason, source, detail)
         SELECT 'email', e.address, e.reason, e.source, e.detail FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS e(address, reason, source, detail)
         ON CONFLICT (channel, address) DO NOTHING`,
        [global.map((e) => e.address), global.map((e) => reasonOf(e)), global.map((e) => e.source), global.map((e) => e.detail)],
      );
      const problems = [...new Map(blocking.map((e) => [`${e.tenantId}|${e.address}`, e])).values()].sort((a, b) =>
        a.tenantId === b.tenantId ? (a.address < b.address ? -1 : 1) : a.tenantId < b.tenantId ? -1 : 1,
      );
      await em.query(
        `INSERT INTO email_addresses (tenant_id, address, status, problem, problem_source, updated_at)
         SELECT p.tenant_id, p.address, 'problem', p.problem, p.source, now()
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS p(tenant_id, address, problem, source)
         ON CONFLICT (tenant_id, address) DO UPDATE
           SET status = 'problem', problem = EXCLUDED.problem, problem_source = EXCLUDED.problem_source, updated_at = now()`,
        [problems.map((e) => e.tenantId), problems.map((e) => e.address), problems.map((e) => (e.kind === 'complaint' ? 'spam' : 'invalid')), problems.map((e) => e.source)],
      );
    }
    if (optOuts.length) {
      const unique = [...new Map(optOuts.map((e) => [`${e.tenantId}|${e.address}`, e])).values()];
      await em.query(
        `INSERT INTO opt_outs (tenant_id, channel, address, book_id, source)
         SELECT o.tenant_id, 'email', o.address, NULL, 'provider_unsubscribe' FROM unnest($1::uuid[], $2::text[]) AS o(tenant_id, address)
         ON CONFLICT DO NOTHING`,
        [unique.map((e) => e.tenantId), unique.map((e) => e.address)],
      );
    }
  }

  /**
   * The sweeper: rows pending past their deadline (queued or deferred and untouched, or a claim
   * whose lease ran out) get a new dispatch sequence — a new Nats-Msg-Id — to be published again.
   */
  async takeStale(staleMs: number, limit = 5000): Promise<Republished[]> {
    const rows = await sqlRows(
      this.ds,
      `WITH cand AS (
         SELECT id, status AS was, claimed_by AS was_by FROM messages
          WHERE status IN ('queued', 'sending', 'deferred')
            AND CASE status
                  WHEN 'queued' THEN updated_at < now() - make_interval(secs => $1::double precision / 1000)
                  WHEN 'sending' THEN claimed_until < now()
                  ELSE next_attempt_at < now() - make_interval(secs => $1::double precision / 1000)
                END
          ORDER BY id LIMIT $2
          FOR UPDATE SKIP LOCKED
       ), upd AS (
         UPDATE messages m
            SET dispatch_seq = m.dispatch_seq + 1, updated_at = now(),
                status = CASE WHEN m.status = 'sending' THEN 'queued' ELSE m.status END,
                next_attempt_at = CASE WHEN m.status = 'deferred' THEN now() ELSE m.next_attempt_at END,
                claimed_by = NULL, claimed_until = NULL
           FROM cand WHERE m.id = cand.id
         RETURNING m.id, m.tenant_id, m.campaign_id, m.channel, m.dispatch_seq, cand.was, cand.was_by
       ), ev AS (
         INSERT INTO message_events (tenant_id, message_id, status, source, payload, applied)
         SELECT tenant_id, id, 'queued', 'sweeper', jsonb_build_object('reason', 'lease_expired', 'previousClaim', was_by), true
           FROM upd WHERE was = 'sending'
       )
       SELECT * FROM upd`,
      [staleMs, limit],
    );
    return rows.map((r) => ({
      id: r.id as string,
      tenantId: r.tenant_id as string,
      campaignId: r.campaign_id as string,
      channel: r.channel as 'sms' | 'email',
      dispatchSeq: r.dispatch_seq as number,
      leaseExpired: r.was === 'sending',
    }));
  }

}

/** Nats-Msg-Id of a send job: message id plus its dispatch sequence (a re-publish needs a new one). */
export function sendJobMsgId(messageId: string, dispatchSeq: number): string {
  return `${messageId}:${dispatchSeq}`;
}

function storableJson(_key: string, v: unknown): unknown {
  if (typeof v === 'string') return storableString(v);
  if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [storableString(k), x]));
  return v;
}

function reasonOf(e: AddressEffect): string {
  return e.kind === 'complaint' ? 'complaint' : 'hard_bounce';
}
