import { EmailFeedback, emailReport, EmailReport, ourMessageId } from './email-feedback';

/** The SES message tag our sends carry (X-SES-MESSAGE-TAGS / the API's Tags). */
export const SES_MESSAGE_ID_TAG = 'utskick_message_id';
const MESSAGE_ID_HEADER = 'x-utskick-message-id';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** Our id from the mail's tags, else from the X-Utskick-Message-Id header SES echoes in mail.headers. */
function messageIdOf(mail: Obj): string | null {
  const fromTag = ourMessageId(obj(mail.tags)[SES_MESSAGE_ID_TAG]);
  if (fromTag) return fromTag;
  const headers = Array.isArray(mail.headers) ? (mail.headers as unknown[]) : [];
  for (const h of headers) {
    const { name, value } = obj(h);
    if (typeof name === 'string' && name.toLowerCase() === MESSAGE_ID_HEADER) return ourMessageId(value);
  }
  return null;
}

function feedbackOf(type: string, n: Obj): EmailFeedback | null {
  switch (type) {
    case 'Delivery':
      return { kind: 'delivered' };
    case 'Send':
      return { kind: 'processed' };
    case 'DeliveryDelay':
      return { kind: 'deferred' };
    case 'Open':
      return { kind: 'opened' };
    case 'Click':
      return { kind: 'clicked' };
    case 'Reject':
      return { kind: 'dropped', reason: str(obj(n.reject).reason) };
    case 'Complaint':
      return { kind: 'complaint', feedbackType: str(obj(n.complaint).complaintFeedbackType) };
    case 'Bounce': {
      const b = obj(n.bounce);
      // One recipient per message: the first bounced recipient is ours.
      const r = obj(Array.isArray(b.bouncedRecipients) ? b.bouncedRecipients[0] : undefined);
      return { kind: 'bounce', statusCode: str(r.status), diagnostic: str(r.diagnosticCode), label: str(b.bounceType), subType: str(b.bounceSubType) };
    }
    default:
      return null;
  }
}

/**
 * The report in an SES notification (the `Message` of an SNS Notification): identity
 * notifications (`notificationType`) and configuration-set events (`eventType`) alike. The SNS
 * MessageId is the duplicate key. Null when it is no SES event about one of our messages.
 */
export function sesReport(snsMessageId: string, message: string): EmailReport | null {
  let n: Obj;
  try {
    n = obj(JSON.parse(message));
  } catch {
    return null;
  }
  const type = str(n.notificationType) ?? str(n.eventType);
  const mail = obj(n.mail);
  const messageId = messageIdOf(mail);
  const feedback = type ? feedbackOf(type, n) : null;
  if (!messageId || !feedback) return null;
  return emailReport(
    { messageId, eventType: type!.toLowerCase(), source: 'ses', providerEventId: snsMessageId, providerMessageId: str(mail.messageId), payload: n },
    feedback,
  );
}
