import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { EmailFeedback, emailReport, EmailReport } from './email-feedback';

export interface DeliveryStatus {
  action: string | null;
  status: string | null;
  diagnosticCode: string | null;
  finalRecipient: string | null;
  originalRecipient: string | null;
}

/** The per-recipient groups of a message/delivery-status body (RFC 3464 §2.3): unfolded, names lower-cased. */
export function parseDeliveryStatus(body: string): DeliveryStatus[] {
  const groups = body
    .replace(/\r\n/g, '\n')
    .replace(/\n[ \t]+/g, ' ')
    .split(/\n\s*\n/)
    .map((g) => {
      const fields = new Map<string, string>();
      for (const line of g.split('\n')) {
        const i = line.indexOf(':');
        if (i > 0) fields.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
      }
      return fields;
    })
    .filter((f) => f.size);
  // The first group describes the reporting MTA; the recipients' groups follow.
  const addr = (v: string | undefined) => (v ? v.replace(/^[^;]*;\s*/, '').trim() || null : null);
  return groups
    .filter((f) => f.has('action') || f.has('status') || f.has('final-recipient'))
    .map((f) => ({
      action: f.get('action')?.toLowerCase() ?? null,
      status: f.get('status') ?? null,
      diagnosticCode: f.get('diagnostic-code') ?? null,
      finalRecipient: addr(f.get('final-recipient')),
      originalRecipient: addr(f.get('original-recipient')),
    }));
}

function feedbackOf(s: DeliveryStatus): EmailFeedback | null {
  switch (s.action) {
    case 'failed':
      return { kind: 'bounce', statusCode: s.status, diagnostic: s.diagnosticCode, label: 'failed' };
    case 'delayed':
      return { kind: 'deferred' };
    case 'delivered':
    case 'relayed':
    case 'expanded':
      return { kind: 'delivered' };
    default:
      return null;
  }
}

/**
 * The report in a raw RFC 3464 delivery status notification for one of our messages (the
 * message id comes from the VERP address it was sent to, whose HMAC was checked). Null when the
 * mail holds no delivery-status part with a recipient action we track.
 */
export async function dsnReport(messageId: string, raw: Buffer | string): Promise<EmailReport | null> {
  const mail = await simpleParser(raw, { keepDeliveryStatus: true, skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true });
  const part = mail.attachments.find((a) => ['message/delivery-status', 'message/global-delivery-status'].includes(a.contentType.toLowerCase()));
  if (!part) return null;
  const status = parseDeliveryStatus(part.content.toString('utf8')).find((s) => feedbackOf(s));
  if (!status) return null;
  const recipient = (status.originalRecipient ?? status.finalRecipient ?? '').toLowerCase();
  // The same report delivered twice (a retrying MTA) is one event; another status for the message is another.
  // The Status field is the remote server's text: only its code-like characters go into the (indexed) id.
  const code = (status.status ?? '').replace(/[^\w.]/g, '').slice(0, 32);
  const eventId = `dsn:${messageId}:${status.action}:${code}:${createHash('sha256').update(recipient).digest('hex').slice(0, 16)}`;
  return emailReport(
    { messageId, eventType: `dsn_${status.action}`, source: 'dsn', providerEventId: eventId, payload: { ...status, subject: mail.subject ?? null } },
    feedbackOf(status)!,
  );
}
