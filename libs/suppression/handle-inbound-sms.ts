import { Injectable } from '@nestjs/common';
import { loadConfig, smsSchema } from '@utskick/config';
import { normalisePhone } from '@utskick/contacts';
import { storableString, TenantId } from '@utskick/persistence';
import type { CountryCode } from 'libphonenumber-js/max';
import { DataSource, EntityManager } from 'typeorm';
import { confirmationText, helpText } from './keyword-replies';
import { parseKeyword } from './keywords';

export interface InboundSms {
  provider: 'twilio' | '46elks';
  providerMessageId: string;
  from: string;
  to: string;
  body: string;
  /** Known from the callback URL (46elks); otherwise told from the numbers. */
  tenantId?: TenantId | null;
}

export type InboundAction = 'stop' | 'start' | 'help' | 'reply' | 'unmatched';

interface TenantRow {
  id: string;
  locale: string;
  help_text: string | null;
  default_country: string;
}

interface LastMessage {
  id: string;
  tenant_id: string;
  campaign_id: string;
  address_book_id: string | null;
}

/** A short code as digits; anything else read as a phone number (E.164), kept as given when unreadable. */
export function normaliseInboundNumber(raw: string, country: string): string {
  const text = raw.trim();
  const compact = text.replace(/[\s-]/g, '');
  if (/^[0-9]{3,8}$/.test(compact)) return compact;
  return normalisePhone(text, country as CountryCode).e164 ?? text;
}

const isShortCode = (n: string) => /^[0-9]{3,8}$/.test(n);

/** Text PostgreSQL can store: no NUL, no unpaired surrogate. */

/**
 * An inbound SMS: STOP / START / HELP keywords act on the opt-out scope of the last message that
 * number got from the number it wrote to (contracts.md "Addresses and opt-outs"); anything else is
 * kept as a reply to that message. Stored once per provider message id: a retried webhook acts once.
 */
@Injectable()
export class HandleInboundSms {
  private readonly sharedShortCode = loadConfig(smsSchema).SHARED_SHORT_CODE;

  constructor(private readonly ds: DataSource) {}

  execute(input: InboundSms): Promise<{ reply: string | null; action: InboundAction | null }> {
    return this.ds.transaction((em) => this.handle(em, input));
  }

  private async handle(em: EntityManager, input: InboundSms): Promise<{ reply: string | null; action: InboundAction | null }> {
    const seen = await em.query('SELECT 1 FROM inbound_messages WHERE provider = $1 AND provider_message_id = $2', [
      input.provider,
      input.providerMessageId,
    ]);
    if (seen.length) return { reply: null, action: null };

    const parsed = parseKeyword(input.body);
    let tenant = input.tenantId ? await this.tenant(em, input.tenantId) : null;
    const country = tenant?.default_country ?? 'SE';
    const from = normaliseInboundNumber(input.from, country);
    const to = normaliseInboundNumber(input.to, country);

    // "<KEYWORD> STOPP" to a short code names the tenant whose keyword it is; an unknown keyword reads as a plain command.
    let keywordTenant: string | null = null;
    if (parsed.prefix && isShortCode(to)) {
      const [s]: { tenant_id: string }[] = await em.query(
        `SELECT tenant_id FROM senders WHERE kind = 'short_code' AND value = $1 AND upper(keyword) = $2 AND ($3::uuid IS NULL OR tenant_id = $3)`,
        [to, parsed.prefix, tenant?.id ?? null],
      );
      keywordTenant = s?.tenant_id ?? null;
    }
    // A plain STOP / START to the platform's shared short code is about the global list.
    const global = to === this.sharedShortCode && !keywordTenant && (parsed.action === 'stop' || parsed.action === 'start');

    const last = global
      ? await this.lastFromTextSender(em, from, to, tenant?.id ?? null)
      : await this.lastMessage(em, from, to, keywordTenant ?? tenant?.id ?? null);
    let tenantId = tenant?.id ?? keywordTenant ?? last?.tenant_id ?? null;
    if (!tenantId && !global) tenantId = await this.registeredTenant(em, to);
    if (tenantId && tenantId !== tenant?.id) tenant = await this.tenant(em, tenantId);
    const bookId = last?.address_book_id ?? null;

    const known = tenant !== null || global;
    const action: InboundAction =
      parsed.action === 'help' ? 'help' : !known ? 'unmatched' : parsed.action;

    const [row]: { id: string }[] = await em.query(
      `INSERT INTO inbound_messages (tenant_id, provider, provider_message_id, from_number, to_number, body, keyword, action, message_id, campaign_id, book_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (provider, provider_message_id) DO NOTHING RETURNING id`,
      [tenant?.id ?? null, input.provider, storableString(input.providerMessageId), from, to, storableString(input.body), parsed.keyword, action,
        last?.id ?? null, last?.campaign_id ?? null, bookId],
    );
    // A concurrent delivery of the same webhook got there first.
    if (!row) return { reply: null, action: null };

    switch (action) {
      case 'stop':
        if (global) {
          await em.query(
            `INSERT INTO suppressions (channel, address, reason, source, book_id, created_by_address)
             VALUES ('sms', $1, 'stop', 'shared_short_code', $2, $1) ON CONFLICT (channel, address) DO NOTHING`,
            [from, bookId],
          );
        } else {
          // Book scope when the last message went out through a book, else the whole tenant: STOP is always honoured.
          await em.query(
            `INSERT INTO opt_outs (tenant_id, channel, address, book_id, source) VALUES ($1, 'sms', $2, $3, 'sms_stop') ON CONFLICT DO NOTHING`,
            [tenant!.id, from, bookId],
          );
        }
        return { reply: confirmationText('stop', tenant?.locale), action };
      case 'start':
        // Only what this number's own STOP created: the same scope, and a global entry it made itself.
        if (!global) {
          await em.query(
            `DELETE FROM opt_outs WHERE tenant_id = $1 AND channel = 'sms' AND address = $2 AND source = 'sms_stop' AND book_id IS NOT DISTINCT FROM $3`,
            [tenant!.id, from, bookId],
          );
        }
        await em.query(`DELETE FROM suppressions WHERE channel = 'sms' AND address = $1 AND created_by_address = $1`, [from]);
        return { reply: confirmationText('start', tenant?.locale), action };
      case 'help':
        return { reply: helpText(tenant?.help_text, tenant?.locale, tenant && isShortCode(to) ? await this.keywordOf(em, tenant.id, to) : null), action };
      default:
        return { reply: null, action };
    }
  }

  private async tenant(em: EntityManager, id: string): Promise<TenantRow | null> {
    const [t]: TenantRow[] = await em.query('SELECT id, locale, help_text, default_country FROM tenants WHERE id = $1', [id]);
    return t ?? null;
  }

  /**
   * The last message this sender number sent that number (of one tenant, when known); one still
   * waiting for (or refused by) the provider is not one the number can be answering.
   */
  private async lastMessage(em: EntityManager, from: string, to: string, tenantId: string | null): Promise<LastMessage | null> {
    const [m]: LastMessage[] = await em.query(
      `SELECT m.id, m.tenant_id, m.campaign_id, c.address_book_id FROM messages m JOIN campaigns c ON c.id = m.campaign_id
        WHERE m.channel = 'sms' AND m.address = $1 AND m.sender = $2
          AND (m.sent_at IS NOT NULL OR m.provider_message_id IS NOT NULL) AND ($3::uuid IS NULL OR m.tenant_id = $3)
        ORDER BY m.id DESC LIMIT 1`,
      [from, to, tenantId],
    );
    return m ?? null;
  }

  /**
   * For the shared short code: the last message sent to that number from a text sender (whose opt-out text points here) or
   * from the code itself; any tenant's, unless the webhook's URL already names the tenant.
   */
  private async lastFromTextSender(em: EntityManager, from: string, shortCode: string, tenantId: string | null): Promise<LastMessage | null> {
    const [m]: LastMessage[] = await em.query(
      `SELECT m.id, m.tenant_id, m.campaign_id, c.address_book_id FROM messages m JOIN campaigns c ON c.id = m.campaign_id
        WHERE m.channel = 'sms' AND m.address = $1 AND m.sender IS NOT NULL AND (m.sender = $2 OR m.sender ~ '[A-Za-z]')
          AND (m.sent_at IS NOT NULL OR m.provider_message_id IS NOT NULL) AND ($3::uuid IS NULL OR m.tenant_id = $3)
        ORDER BY m.id DESC LIMIT 1`,
      [from, shortCode, tenantId],
    );
    return m ?? null;
  }

  /** The tenant that registered this reply number (globally unique), or the one tenant holding this short code (several: unknown). */
  private async registeredTenant(em: EntityManager, to: string): Promise<string | null> {
    const holders: { tenant_id: string }[] = await em.query(
      `SELECT DISTINCT tenant_id FROM senders WHERE kind IN ('reply_number', 'short_code') AND value = $1 LIMIT 2`,
      [to],
    );
    return holders.length === 1 ? holders[0].tenant_id : null;
  }

  private async keywordOf(em: EntityManager, tenantId: string, shortCode: string): Promise<string | null> {
    const [s]: { keyword: string }[] = await em.query(
      `SELECT keyword FROM senders WHERE tenant_id = $1 AND kind = 'short_code' AND value = $2`,
      [tenantId, shortCode],
    );
    return s?.keyword ?? null;
  }
}
