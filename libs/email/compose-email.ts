import { logger } from '@utskick/observability';
import type { SendMailOptions } from 'nodemailer';
import { DataSource } from 'typeorm';
import { buildMessage } from './build-message';
import { linkUrl } from './link-tokens';
import { EmailContentData, EmailLayoutData, renderEmail, RenderedEmail } from './render-email';
import { loadMailIdentities, TenantMailIdentity } from './sending-domains';

/** A campaign's mail as the worker needs it: content, its layout, and whether it is marketing mail. */
export interface CampaignMail {
  tenantId: string;
  content: EmailContentData;
  layout: EmailLayoutData | null;
  /** A non-marketing campaign or book sends transactional mail: no List-Unsubscribe, no unsubscribe links. */
  marketing: boolean;
}

export interface ComposeEmailInput {
  messageId: string;
  to: string;
  mail: CampaignMail;
  contact: { firstName?: string | null; lastName?: string | null };
  identity: TenantMailIdentity;
  /** The recipient's links (used for marketing mail only). */
  links: { unsubscribe: string; resubscribe: string };
  confirmUrl?: string;
  defaultFrom: string;
  verp: { secret: string; domain: string };
  subjectPrefix?: string;
}

/** One recipient's rendering and the message built from it. */
export function composeEmail(i: ComposeEmailInput): { rendered: RenderedEmail; message: SendMailOptions } {
  const { content } = i.mail;
  const links = i.mail.marketing ? i.links : null;
  const rendered = renderEmail({
    content,
    layout: i.mail.layout,
    contact: i.contact,
    links,
    confirmUrl: i.confirmUrl,
    sender: content.sender ?? null,
    tenantName: i.identity.tenantName,
    locale: i.identity.locale,
  });
  if (i.subjectPrefix) rendered.subject = i.subjectPrefix + rendered.subject;
  const message = buildMessage({
    messageId: i.messageId,
    to: i.to,
    rendered,
    sender: content.sender ?? null,
    fromLocalPart: content.fromLocalPart,
    tenantName: i.identity.tenantName,
    domain: i.identity.domain,
    defaultFrom: i.defaultFrom,
    unsubscribeUrl: links?.unsubscribe ?? null,
    verp: i.verp,
  });
  return { rendered, message };
}

/** Campaigns' mail (content, layout, marketing) by campaign id; with a tenant, only that tenant's. */
export async function loadCampaignMails(db: DataSource, campaignIds: string[], tenantId?: string): Promise<Map<string, CampaignMail>> {
  if (!campaignIds.length) return new Map();
  const rows: {
    id: string;
    tenant_id: string;
    email: EmailContentData | null;
    book_marketing: boolean | null;
    layout_html: string | null;
    layout_text: string | null;
    has_layout: boolean;
  }[] = await db.query(
    `SELECT c.id, c.tenant_id, c.content->'email' AS email, b.marketing AS book_marketing,
            l.html AS layout_html, l.text AS layout_text, l.id IS NOT NULL AS has_layout
       FROM campaigns c
       LEFT JOIN address_books b ON b.tenant_id = c.tenant_id AND b.id = c.address_book_id
       LEFT JOIN email_layouts l ON l.tenant_id = c.tenant_id AND l.id::text = c.content->'email'->>'layoutId'
      WHERE c.id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR c.tenant_id = $2) AND c.channel = 'email'`,
    [campaignIds, tenantId ?? null],
  );
  return new Map(
    rows
      .filter((r) => r.email)
      .map((r) => [
        r.id,
        {
          tenantId: r.tenant_id,
          content: r.email!,
          layout: r.has_layout ? { html: r.layout_html, text: r.layout_text } : null,
          marketing: r.email!.marketing !== false && r.book_marketing !== false,
        },
      ]),
  );
}

export interface EmailComposerConfig {
  linkSecret: string;
  publicBaseUrl: string;
  domainKeySecret: string;
  /** EMAIL_FROM */
  defaultFrom: string;
  verpSecret: string;
  verpDomain: string;
  /** How long a tenant's sending domain and key are reused before they are read again. */
  identityTtlMs: number;
}

/** A message the worker claimed. */
export interface MailToSend {
  id: string;
  tenantId: string;
  campaignId: string;
  contactId: string;
  address: string;
}

type Contact = { firstName: string | null; lastName: string | null };

/**
 * The e-mail worker's per-recipient rendering at send time. A batch's contacts are read in one
 * query before it is dispatched; campaign mail is cached like campaign contents (it does not change
 * once queued), tenants' domains and keys for a short while (a new domain is picked up soon).
 */
export class EmailComposer {
  private readonly campaigns = new Map<string, CampaignMail>();
  private readonly identities = new Map<string, { until: number; identity: TenantMailIdentity }>();
  private readonly contacts = new Map<string, Contact>();
  private readonly log = logger('email-composer');

  constructor(
    private readonly db: DataSource,
    private readonly cfg: EmailComposerConfig,
  ) {}

  /**
   * Reads the contacts (and any campaign or tenant not cached) of a batch of message ids in one go
   * each. Best effort: what is missing is read per message, so one tenant's unreadable key fails
   * only that tenant's messages.
   */
  async prefetch(messageIds: string[]): Promise<void> {
    await this.load(messageIds).catch((err: Error) => this.log.warn({ err: err.message, messages: messageIds.length }, 'prefetching a batch failed; reading per message'));
  }

  private async load(messageIds: string[]): Promise<void> {
    if (!messageIds.length) return;
    const rows: { id: string; tenant_id: string; campaign_id: string; first_name: string | null; last_name: string | null }[] = await this.db.query(
      `SELECT m.id, m.tenant_id, m.campaign_id, c.first_name, c.last_name
         FROM messages m LEFT JOIN contacts c ON c.tenant_id = m.tenant_id AND c.id = m.contact_id
        WHERE m.id = ANY($1::uuid[]) AND m.channel = 'email'`,
      [messageIds],
    );
    for (const r of rows) this.contacts.set(r.id, { firstName: r.first_name, lastName: r.last_name });
    await this.campaignMails([...new Set(rows.map((r) => r.campaign_id))]);
    await this.mailIdentities([...new Set(rows.map((r) => r.tenant_id))]);
  }

  /** Drops a dispatched batch's contacts. */
  forget(messageIds: string[]): void {
    for (const id of messageIds) this.contacts.delete(id);
  }

  async compose(m: MailToSend): Promise<SendMailOptions> {
    let contact = this.contacts.get(m.id);
    if (!contact) {
      const [c]: { first_name: string | null; last_name: string | null }[] = await this.db.query(
        'SELECT first_name, last_name FROM contacts WHERE tenant_id = $1 AND id = $2',
        [m.tenantId, m.contactId],
      );
      contact = { firstName: c?.first_name ?? null, lastName: c?.last_name ?? null };
    }
    const mail = (await this.campaignMails([m.campaignId])).get(m.campaignId);
    if (!mail) throw new Error(`campaign ${m.campaignId} has no e-mail content`);
    const identity = (await this.mailIdentities([m.tenantId])).get(m.tenantId)!;
    const url = (kind: 'unsubscribe' | 'resubscribe' | 'confirm') => linkUrl(this.cfg.publicBaseUrl, this.cfg.linkSecret, kind, m.id);
    return composeEmail({
      messageId: m.id,
      to: m.address,
      mail,
      contact,
      identity,
      links: { unsubscribe: url('unsubscribe'), resubscribe: url('resubscribe') },
      confirmUrl: mail.content.kind === 'confirmation' ? url('confirm') : undefined,
      defaultFrom: this.cfg.defaultFrom,
      verp: { secret: this.cfg.verpSecret, domain: this.cfg.verpDomain },
    }).message;
  }

  private async campaignMails(ids: string[]): Promise<Map<string, CampaignMail>> {
    const missing = ids.filter((id) => !this.campaigns.has(id));
    if (missing.length) {
      const loaded = await loadCampaignMails(this.db, missing);
      if (this.campaigns.size > 1000) this.campaigns.clear();
      for (const [id, mail] of loaded) this.campaigns.set(id, mail);
    }
    return new Map(ids.filter((id) => this.campaigns.has(id)).map((id) => [id, this.campaigns.get(id)!]));
  }

  private async mailIdentities(tenantIds: string[]): Promise<Map<string, TenantMailIdentity>> {
    const now = Date.now();
    const stale = tenantIds.filter((id) => (this.identities.get(id)?.until ?? 0) <= now);
    if (stale.length) {
      const loaded = await loadMailIdentities(this.db, stale, this.cfg.domainKeySecret);
      if (this.identities.size > 10000) this.identities.clear();
      for (const [id, identity] of loaded) this.identities.set(id, { until: now + this.cfg.identityTtlMs, identity });
    }
    return new Map(tenantIds.filter((id) => this.identities.has(id)).map((id) => [id, this.identities.get(id)!.identity]));
  }
}
