import { loadConfig, smsSchema } from '@utskick/config';
import { pricePerPart, PriceTable, smsPricing } from '@utskick/credits';
import { TenantId } from '@utskick/persistence';
import { analyzeSms, loadSmsFraming, parseTemplate, renderTemplate, Template } from '@utskick/sms';
import { DataSource, EntityManager } from 'typeorm';
import { Audience, SmsContent } from './campaign.dto';

/** Everything deciding who gets a campaign and what each SMS costs, loaded once per run. */
export interface SendPlan {
  tenantId: TenantId;
  campaignId: string;
  channel: 'sms' | 'email';
  audience: Audience;
  bookId: string | null;
  sms: { template: Template; footer: string; from: string; provider: string; prices: PriceTable } | null;
  email: {
    /** Bulk (marketing) mail of a tenant that requires confirmed addresses: others are skipped `unconfirmed`. */
    confirmedOnly: boolean;
    /** A confirmation request: only Unconfirmed addresses are in its audience at all. */
    confirmationRequest: boolean;
  } | null;
}

/** One recipient as the fan-out would write it: a skip status, or `queued` with its SMS, parts and cost. */
export interface Recipient {
  contactId: string;
  address: string | null;
  status: string;
  body: string | null;
  parts: number | null;
  cost: number | null;
}

export interface CampaignRow {
  id: string;
  tenant_id: string;
  channel: 'sms' | 'email';
  audience: Audience;
  content: { sms?: SmsContent; email?: { marketing?: boolean; kind?: string } };
  address_book_id: string | null;
}

/** Phone types that can take an SMS; anything else (fixed line, toll-free, premium, invalid…) cannot. */
const SMS_CAPABLE = ['MOBILE', 'FIXED_LINE_OR_MOBILE', 'PERSONAL_NUMBER', 'VOIP', 'PAGER', 'UNKNOWN'];

let sharedShortCode: string | undefined;

export async function loadSendPlan(db: DataSource | EntityManager, c: CampaignRow): Promise<SendPlan> {
  const tenantId = c.tenant_id as TenantId;
  const plan: SendPlan = { tenantId, campaignId: c.id, channel: c.channel, audience: c.audience, bookId: c.address_book_id, sms: null, email: null };
  if (c.channel === 'email') {
    const confirmationRequest = c.content.email?.kind === 'confirmation';
    const [t]: { require_confirmed_email: boolean; book_marketing: boolean | null }[] = await db.query(
      `SELECT t.require_confirmed_email, b.marketing AS book_marketing FROM tenants t
         LEFT JOIN address_books b ON b.tenant_id = t.id AND b.id = $2 WHERE t.id = $1`,
      [tenantId, c.address_book_id],
    );
    // Transactional mail (a non-marketing campaign or book) goes to unconfirmed addresses too.
    const marketing = c.content.email?.marketing !== false && t.book_marketing !== false;
    plan.email = { confirmedOnly: !confirmationRequest && marketing && t.require_confirmed_email, confirmationRequest };
    return plan;
  }
  if (c.channel !== 'sms' || !c.content.sms) return plan;
  sharedShortCode ??= loadConfig(smsSchema).SHARED_SHORT_CODE;
  const framing = await loadSmsFraming(db, tenantId, { from: c.content.sms.from, addressBookId: c.address_book_id ?? undefined }, sharedShortCode);
  const parsed = parseTemplate(c.content.sms.text);
  // Unknown placeholders are refused when the campaign is created; a template that stopped parsing is a bug.
  if (!parsed.ok) throw new Error(`campaign ${c.id}: unknown placeholders ${parsed.unknown.join(', ')}`);
  plan.sms = {
    template: parsed.template,
    footer: framing.footer,
    from: framing.from ?? c.content.sms.from,
    provider: framing.provider,
    prices: smsPricing().prices,
  };
  return plan;
}

/**
 * The next `size` contacts of the audience after `cursor`, in contact-id order, each decided: why it
 * is skipped (checked in the order missing address, duplicate, unusable, opted out, suppressed), or
 * queued with its rendered SMS. `seen` carries addresses across batches of one run; the ledger
 * check covers a run resumed by another scheduler.
 */
export async function resolveAudienceBatch(
  db: DataSource | EntityManager,
  plan: SendPlan,
  cursor: string | null,
  size: number,
  seen: Set<string>,
): Promise<{ recipients: Recipient[]; lastContact: string | null; picked: number }> {
  const sms = plan.channel === 'sms';
  const address = sms
    ? `CASE WHEN c.phone_e164 IS NOT NULL THEN c.phone_e164 ELSE NULLIF(btrim(c.phone), '') END`
    : `NULLIF(lower(btrim(c.email)), '')`;
  // One plain addr-spec only: a list ("a@x, b@y") or a bare name must never reach an SMTP envelope.
  const unusable = sms
    ? `CASE WHEN c.phone_e164 IS NULL OR c.phone_not_mobile OR c.phone_type IS NULL OR c.phone_type <> ALL('{${SMS_CAPABLE.join(',')}}'::text[]) THEN 'cannot_receive_sms' END`
    : `CASE WHEN lower(btrim(c.email)) !~ '^[^\\s@,;:<>()\\[\\]"\\u00a0]+@[a-z0-9\\u00a1-\\uffff]([a-z0-9\\u00a1-\\uffff-]*[a-z0-9\\u00a1-\\uffff])?(\\.[a-z0-9\\u00a1-\\uffff]([a-z0-9\\u00a1-\\uffff-]*[a-z0-9\\u00a1-\\uffff])?)+$' THEN 'no_email' END`;
  const missing = sms ? `'no_primary_phone'` : `'no_email'`;
  const ids = 'contactIds' in plan.audience ? plan.audience.contactIds : null;
  const bookAudience = 'addressBookId' in plan.audience ? plan.audience.addressBookId : null;
  // A book audience is read through its membership (primary key order), not by scanning every contact.
  // A confirmation request goes to Unconfirmed addresses only (no row, or status unconfirmed).
  const onlyUnconfirmed = plan.email?.confirmationRequest
    ? `AND NOT EXISTS (SELECT 1 FROM email_addresses ea WHERE ea.tenant_id = c.tenant_id AND ea.address = lower(btrim(c.email)) AND ea.status <> 'unconfirmed')`
    : '';
  const source = bookAudience
    ? `FROM address_book_contacts b JOIN contacts c ON c.id = b.contact_id AND c.tenant_id = b.tenant_id
        WHERE b.tenant_id = $1 AND b.book_id = $7 AND ($3::uuid IS NULL OR b.contact_id > $3)
          AND ($5::uuid[] IS NULL OR c.id = ANY($5::uuid[])) ${onlyUnconfirmed} ORDER BY b.contact_id`
    : `FROM contacts c WHERE c.tenant_id = $1 AND ($3::uuid IS NULL OR c.id > $3) AND ($5::uuid[] IS NULL OR c.id = ANY($5::uuid[])) ${onlyUnconfirmed} ORDER BY c.id`;
  // E-mail address status of this tenant: a Problem blocks (an unsubscribe as opted_out, the rest as
  // suppressed); a tenant requiring confirmation skips bulk mail to addresses not Confirmed.
  const emailRules = plan.email
    ? `WHEN ea.problem = 'unsubscribed' THEN 'opted_out'
       WHEN ea.status = 'problem' THEN 'suppressed'
       ${plan.email.confirmedOnly ? `WHEN ea.status IS DISTINCT FROM 'confirmed' THEN 'unconfirmed'` : ''}`
    : '';
  const rows: { contact_id: string; address: string | null; status: string; first_name: string | null; last_name: string | null }[] = await db.query(
    `WITH picked AS (
       SELECT c.id AS contact_id, c.first_name, c.last_name, ${address} AS address, ${unusable} AS unusable
       ${source} LIMIT $4
     ), ranked AS (
       SELECT p.*, row_number() OVER (PARTITION BY p.address ORDER BY p.contact_id) AS rn FROM picked p
     )
     SELECT r.contact_id, r.address, r.first_name, r.last_name,
            CASE WHEN r.address IS NULL THEN ${missing}
                 WHEN r.rn > 1 OR EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = $2 AND m.address = r.address
                                           AND m.status <> 'duplicate_address') THEN 'duplicate_address'
                 WHEN r.unusable IS NOT NULL THEN r.unusable
                 WHEN EXISTS (SELECT 1 FROM opt_outs o WHERE o.tenant_id = $1 AND o.channel = $6 AND o.address = r.address
                                AND (o.book_id IS NULL OR o.book_id = $7)) THEN 'opted_out'
                 WHEN EXISTS (SELECT 1 FROM suppressions s WHERE s.channel = $6 AND s.address = r.address) THEN 'suppressed'
                 ${emailRules}
                 ELSE 'queued' END AS status
       FROM ranked r ${plan.email ? 'LEFT JOIN email_addresses ea ON ea.tenant_id = $1 AND ea.address = r.address' : ''}
      ORDER BY r.contact_id`,
    [plan.tenantId, plan.campaignId, cursor, size, ids, plan.channel, plan.bookId ?? bookAudience],
  );
  const partsOf = new Map<string, number>();
  const recipients = rows.map((r): Recipient => {
    let status = r.status;
    if (r.address !== null && status !== 'duplicate_address' && seen.has(r.address)) status = 'duplicate_address';
    if (r.address !== null && status !== 'duplicate_address') seen.add(r.address);
    if (status !== 'queued' || !plan.sms) return { contactId: r.contact_id, address: r.address, status, body: null, parts: null, cost: null };
    const body = renderTemplate(plan.sms.template, { firstName: r.first_name, lastName: r.last_name }) + plan.sms.footer;
    let parts = partsOf.get(body);
    if (parts === undefined) partsOf.set(body, (parts = analyzeSms(body).parts));
    return { contactId: r.contact_id, address: r.address, status, body, parts, cost: parts * pricePerPart(r.address!, plan.sms.prices) };
  });
  return { recipients, lastContact: rows.length ? rows[rows.length - 1].contact_id : null, picked: rows.length };
}
