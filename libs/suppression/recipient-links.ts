import { emailSecretsSchema, loadConfig } from '@utskick/config';
import { verifyLinkToken } from '@utskick/email';
import type { EmailAddressStatus } from '@utskick/persistence';
import { DataSource, EntityManager } from 'typeorm';

/** Opt-outs a recipient made themselves through a link; only these does their own re-subscribe lift. */
export const LINK_OPT_OUT_SOURCES = ['unsubscribe_link', 'one_click'] as const;

/** The e-mail a link token names: its tenant, the book it went through (the opt-out scope) and its address. */
export interface LinkedMessage {
  id: string;
  tenantId: string;
  tenantName: string;
  tenantLocale: string;
  bookId: string | null;
  address: string;
  confirmationRequest: boolean;
}

/** What a recipient page shows: whose mail, to which address, and where things stand now. */
export interface RecipientLinkState {
  tenantName: string;
  tenantLocale: string;
  address: string;
  /** contracts.md: the book the mail went through, else the tenant's bulk mail as a whole. */
  scope: 'book' | 'tenant';
  /** An opt-out of exactly this scope exists. */
  unsubscribed: boolean;
  /** Something else still stops mail to the address: a tenant-wide opt-out under a book link, the global list, a Problem. */
  otherwiseBlocked: boolean;
  addressStatus: EmailAddressStatus;
  /** The mail was a confirmation request (only its link confirms an address). */
  confirmationRequest: boolean;
}

let secret: string | undefined;

/** The link secret, read (and validated) once per process. */
export function linkSecret(): string {
  return (secret ??= loadConfig(emailSecretsSchema).LINK_SECRET);
}

/** The e-mail message a token names, or null for a forged, malformed or unknown one (and for an SMS). */
export async function loadLinkedMessage(db: DataSource | EntityManager, token: string | undefined): Promise<LinkedMessage | null> {
  const id = verifyLinkToken(linkSecret(), token);
  if (!id) return null;
  const [m]: { id: string; tenant_id: string; tenant_name: string; locale: string; book_id: string | null; address: string; kind: string | null }[] =
    await db.query(
      `SELECT m.id, m.tenant_id, t.name AS tenant_name, t.locale, c.address_book_id AS book_id, m.address,
              c.content -> 'email' ->> 'kind' AS kind
         FROM messages m
         JOIN campaigns c ON c.id = m.campaign_id AND c.tenant_id = m.tenant_id
         JOIN tenants t ON t.id = m.tenant_id
        WHERE m.id = $1 AND m.channel = 'email' AND m.address IS NOT NULL`,
      [id],
    );
  if (!m) return null;
  return {
    id: m.id,
    tenantId: m.tenant_id,
    tenantName: m.tenant_name,
    tenantLocale: m.locale,
    bookId: m.book_id,
    address: m.address,
    confirmationRequest: m.kind === 'confirmation',
  };
}

export async function linkState(db: DataSource | EntityManager, m: LinkedMessage): Promise<RecipientLinkState> {
  const [s]: { unsubscribed: boolean; tenant_wide: boolean; suppressed: boolean; address_status: EmailAddressStatus | null }[] = await db.query(
    `SELECT EXISTS (SELECT 1 FROM opt_outs o WHERE o.tenant_id = $1 AND o.channel = 'email' AND o.address = $2
                      AND o.book_id IS NOT DISTINCT FROM $3::uuid) AS unsubscribed,
            EXISTS (SELECT 1 FROM opt_outs o WHERE o.tenant_id = $1 AND o.channel = 'email' AND o.address = $2
                      AND o.book_id IS NULL AND $3::uuid IS NOT NULL) AS tenant_wide,
            EXISTS (SELECT 1 FROM suppressions s WHERE s.channel = 'email' AND s.address = $2) AS suppressed,
            (SELECT status FROM email_addresses WHERE tenant_id = $1 AND address = $2) AS address_status`,
    [m.tenantId, m.address, m.bookId],
  );
  return {
    tenantName: m.tenantName,
    tenantLocale: m.tenantLocale,
    address: m.address,
    scope: m.bookId ? 'book' : 'tenant',
    unsubscribed: s.unsubscribed,
    otherwiseBlocked: s.tenant_wide || s.suppressed || s.address_status === 'problem',
    addressStatus: s.address_status ?? 'unconfirmed',
    confirmationRequest: m.confirmationRequest,
  };
}
