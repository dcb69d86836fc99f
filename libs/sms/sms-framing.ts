import { isUuid, ValidationError } from '@utskick/http';
import type { SenderKind, TenantId } from '@utskick/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { optOutText, OptOutOverrides } from './opt-out-text';
import type { SenderRef, SmsLocale } from './types';

/** What surrounds an SMS text for one tenant, sender and address book: footer, limits and locale. */
export interface SmsFraming {
  sender: SenderRef | null;
  /** The registered sender's value, or null when none was named or found through the book. */
  from: string | null;
  book: { id: string; name: string; optOutText: boolean } | null;
  /** Opt-out text to append, separator included; '' when not sent through a book that wants it. */
  footer: string;
  locale: SmsLocale;
  textCap: number | null;
  maxParts: number;
  /** The tenant's SMS provider: it sends whatever this frames. */
  provider: 'twilio' | '46elks';
}

interface TenantRow {
  locale: SmsLocale;
  opt_out_texts: OptOutOverrides | null;
  sms_text_cap: number | null;
  sms_max_parts: number | null;
  sms_provider: 'twilio' | '46elks';
}
interface BookRow {
  id: string;
  name: string;
  sender_id: string | null;
  opt_out_text: boolean;
}
interface SenderRow {
  kind: SenderKind;
  value: string;
  keyword: string | null;
}

const DEFAULT_MAX_PARTS = 10;

/**
 * Loads the tenant's SMS settings, the named address book and the sender (`from` if given, else
 * the book's own sender). An unknown book or an unregistered `from` is a 400 naming the field.
 */
export async function loadSmsFraming(
  db: DataSource | EntityManager,
  tenantId: TenantId,
  input: { from?: string; addressBookId?: string },
  sharedShortCode: string,
): Promise<SmsFraming> {
  const [tenant] = (await db.query(
    'SELECT locale, opt_out_texts, sms_text_cap, sms_max_parts, sms_provider FROM tenants WHERE id = $1',
    [tenantId],
  )) as TenantRow[];
  if (!tenant) throw new Error(`tenant ${tenantId} does not exist`);

  let bookRow: BookRow | undefined;
  if (input.addressBookId !== undefined) {
    if (isUuid(input.addressBookId)) {
      [bookRow] = (await db.query(
        'SELECT id, name, sender_id, opt_out_text FROM address_books WHERE tenant_id = $1 AND id = $2',
        [tenantId, input.addressBookId],
      )) as BookRow[];
    }
    if (!bookRow) throw new ValidationError([{ field: 'addressBookId', reason: 'no such address book' }]);
  }

  let senderRow: SenderRow | undefined;
  if (input.from !== undefined) {
    [senderRow] = (await db.query('SELECT kind, value, keyword FROM senders WHERE tenant_id = $1 AND value = $2', [
      tenantId,
      input.from.trim(),
    ])) as SenderRow[];
    if (!senderRow) throw new ValidationError([{ field: 'from', reason: 'is not one of your registered senders' }]);
  } else if (bookRow?.sender_id) {
    [senderRow] = (await db.query('SELECT kind, value, keyword FROM senders WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      bookRow.sender_id,
    ])) as SenderRow[];
  }

  const sender: SenderRef | null = senderRow ? { kind: senderRow.kind, value: senderRow.value, keyword: senderRow.keyword } : null;
  const book = bookRow ? { id: bookRow.id, name: bookRow.name, optOutText: bookRow.opt_out_text } : null;
  const locale = tenant.locale;
  return {
    sender,
    from: sender?.value ?? null,
    book,
    footer: book?.optOutText ? optOutText(sender, locale, tenant.opt_out_texts ?? {}, sharedShortCode) : '',
    locale,
    textCap: tenant.sms_text_cap,
    maxParts: tenant.sms_max_parts ?? DEFAULT_MAX_PARTS,
    provider: tenant.sms_provider,
  };
}
