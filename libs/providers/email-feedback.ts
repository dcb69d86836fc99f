/**
 * What e-mail delivery reports mean for a message and for its address, in one table for every
 * source (SES, SendGrid, RFC 3464 reports, our own SMTP hop). Pure: the parsers turn each
 * provider's fields into an EmailFeedback, and this decides the status and the address effect.
 */

/** What a report does to the address beyond its message: global block, address Problem, or tenant opt-out. */
export type AddressEffectKind = 'hard_bounce' | 'complaint' | 'unsubscribe';

export interface AddressEffect {
  kind: AddressEffectKind;
  /** Who reported it: 'ses' | 'sendgrid' | 'dsn' | 'smtp'. */
  source: string;
  /** What the global entry rests on (a status code such as "5.1.1", or the provider's label); never a tenant. */
  detail: string | null;
}

export type FeedbackStatus = 'delivered' | 'bounced' | 'failed' | 'spam' | 'unsubscribed';

export type EmailFeedback =
  | { kind: 'delivered' }
  /** The provider is still trying (deferred, DeliveryDelay, DSN `delayed`) or only took the mail in (processed, Send). */
  | { kind: 'deferred' | 'processed' | 'opened' | 'clicked' }
  | {
      kind: 'bounce';
      /** Enhanced status code (RFC 3463) as reported, e.g. "5.1.1"; may be missing or generic ("5.0.0"). */
      statusCode?: string | null;
      /** Free text that may hold a status code: a Diagnostic-Code, SendGrid's reason, an SMTP reply. */
      diagnostic?: string | null;
      /** The provider's label: SES Permanent/Transient/Undetermined, SendGrid bounce/blocked, DSN failed. */
      label?: string | null;
      /** SES bounceSubType, or SendGrid bounce_classification. */
      subType?: string | null;
    }
  /** The provider refused to send it at all (SendGrid dropped, SES Reject). */
  | { kind: 'dropped'; reason?: string | null }
  | { kind: 'complaint'; feedbackType?: string | null }
  | { kind: 'unsubscribe' };

export interface FeedbackVerdict {
  /** null: an event row only, the message keeps its status. */
  status: FeedbackStatus | null;
  effect: { kind: AddressEffectKind; detail: string | null } | null;
  error: string | null;
}

/** Codes that prove the mailbox does not exist: the address is blocked on the global list. */
const INVALID_ADDRESS = new Set(['5.1.1', '5.1.2', '5.1.3', '5.1.10']);
/** Codes about our sender or our message, not the address: 5.1.7 / 5.1.8 bad sender address. */
const SENDER_SIDE = new Set(['5.1.7', '5.1.8']);
const MAILBOX_FULL = new Set(['5.2.2', '4.2.2']);
/** A full mailbox said in words or by the basic 452/552 reply, for reports without a specific status code. */
const MAILBOX_FULL_TEXT = /(^|[^\d.])[45]52(?![\d.])|mailbox (is )?full|over ?quota|quota exceeded|exceeded storage|insufficient storage/i;
/** SES labels that prove an invalid address when no specific status code says otherwise. */
const SES_HARD_SUBTYPES = new Set(['general', 'noemail']);
/** SES labels about the message itself (size, content) or SES's own lists: the message failed, the address is fine. */
const SES_MESSAGE_SUBTYPES = new Set(['messagetoolarge', 'contentrejected', 'attachmentrejected', 'suppressed', 'onaccountsuppressionlist']);

/** The first enhanced status code (class.subject.detail) in a text, normalised ("5.01.001" → "5.1.1"). */
export function enhancedStatusCode(text: string | null | undefined): string | null {
  const m = /(?:^|[^\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.]*\d)/.exec(text ?? '');
  return m ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : null;
}

const isGeneric = (code: string) => /^\d\.0\.0$/.test(code);

type CodeVerdict = { status: 'bounced' | 'failed'; hard: boolean; why: string };

/** What a specific status code says; null for a missing or generic one (x.0.0), which leaves it to the label. */
function byCode(code: string | null): CodeVerdict | null {
  if (!code || isGeneric(code)) return null;
  if (INVALID_ADDRESS.has(code)) return { status: 'bounced', hard: true, why: 'mailbox does not exist' };
  if (/^[45]\.7\./.test(code)) return { status: 'failed', hard: false, why: 'rejected by policy' };
  if (SENDER_SIDE.has(code)) return { status: 'failed', hard: false, why: 'sender address refused' };
  if (MAILBOX_FULL.has(code)) return { status: 'bounced', hard: false, why: 'mailbox full' };
  return { status: 'bounced', hard: false, why: code.startsWith('4.') ? 'temporary failure, given up' : 'bounced' };
}

function byLabel(label: string, subType: string): CodeVerdict {
  if (label === 'permanent') {
    if (SES_HARD_SUBTYPES.has(subType)) return { status: 'bounced', hard: true, why: 'permanent bounce' };
    if (SES_MESSAGE_SUBTYPES.has(subType)) return { status: 'failed', hard: false, why: 'not sent by the provider' };
    return { status: 'bounced', hard: false, why: 'permanent bounce' };
  }
  if (label === 'transient' && SES_MESSAGE_SUBTYPES.has(subType)) return { status: 'failed', hard: false, why: 'message refused' };
  // SendGrid: "blocked" is a refusal for reasons other than the address (reputation, content, rate).
  if (label === 'blocked') return { status: 'failed', hard: false, why: 'blocked by the receiving server' };
  if (label === 'bounce' && subType === 'invalid address') return { status: 'bounced', hard: true, why: 'invalid address' };
  return { status: 'bounced', hard: false, why: 'bounced' };
}

/**
 * The verdict on one report. A specific status code wins over the provider's label (an SES
 * "Permanent/General" carrying 5.7.1 is a policy rejection, not a bad address); only an invalid
 * mailbox or a complaint blocks the address for every tenant.
 */
export function classifyEmailFeedback(f: EmailFeedback): FeedbackVerdict {
  switch (f.kind) {
    case 'delivered':
      return { status: 'delivered', effect: null, error: null };
    case 'deferred':
    case 'processed':
    case 'opened':
    case 'clicked':
      return { status: null, effect: null, error: null };
    case 'dropped':
      return { status: 'failed', effect: null, error: `dropped by the provider${f.reason ? `: ${f.reason}` : ''}` };
    case 'complaint':
      // A feedback report saying "not spam" is no complaint.
      if ((f.feedbackType ?? '').toLowerCase() === 'not-spam') return { status: null, effect: null, error: null };
      return { status: 'spam', effect: { kind: 'complaint', detail: f.feedbackType || null }, error: null };
    case 'unsubscribe':
      return { status: 'unsubscribed', effect: { kind: 'unsubscribe', detail: null }, error: null };
    case 'bounce': {
      // A generic status field (SendGrid sends "5.0.0") gives way to a specific code in the diagnostic.
      const fromStatus = enhancedStatusCode(f.statusCode);
      const fromDiagnostic = enhancedStatusCode(f.diagnostic);
      const code = fromStatus && !isGeneric(fromStatus) ? fromStatus : (fromDiagnostic ?? fromStatus);
      const label = (f.label ?? '').trim().toLowerCase();
      const subType = (f.subType ?? '').trim().toLowerCase();
      const v =
        byCode(code) ??
        (MAILBOX_FULL_TEXT.test(f.diagnostic ?? '') ? { status: 'bounced' as const, hard: false, why: 'mailbox full' } : byLabel(label, subType));
      const labelText = [f.label, f.subType].filter(Boolean).join('/');
      const detail = code && !isGeneric(code) ? code : labelText || code;
      const error = [`bounce ${detail ?? ''}`.trim(), v.why, f.diagnostic?.trim()].filter(Boolean).join(': ').slice(0, 500);
      return { status: v.status, effect: v.hard ? { kind: 'hard_bounce', detail } : null, error };
    }
  }
}

/** One report about one of our messages, shaped as a ledger status event. */
export interface EmailReport {
  messageId: string;
  status: FeedbackStatus | null;
  eventType: string;
  source: string;
  providerEventId: string;
  providerMessageId?: string | null;
  error?: string | null;
  payload: unknown;
  addressEffect?: AddressEffect | null;
}

/** The report of one provider event: the verdict of its feedback, with the effect tagged by its source. */
export function emailReport(
  base: { messageId: string; eventType: string; source: string; providerEventId: string; providerMessageId?: string | null; payload: unknown },
  feedback: EmailFeedback,
): EmailReport {
  const v = classifyEmailFeedback(feedback);
  return {
    ...base,
    status: v.status,
    error: v.error,
    addressEffect: v.effect ? { kind: v.effect.kind, source: base.source, detail: v.effect.detail } : null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our message id as carried in a tag, custom arg or header, lower-cased; null when it is not one. */
export function ourMessageId(value: unknown): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && UUID.test(v.trim()) ? v.trim().toLowerCase() : null;
}
