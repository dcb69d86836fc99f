import { createPublicKey, createVerify, KeyObject } from 'node:crypto';
import { EmailFeedback, emailReport, EmailReport, ourMessageId } from './email-feedback';

export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';
/** The custom arg our sends carry; SendGrid puts custom args at the top level of each event. */
export const SENDGRID_MESSAGE_ID_ARG = 'utskick_message_id';

/**
 * The Signed Event Webhook's verification key as SendGrid shows it (base64 DER SubjectPublicKeyInfo,
 * no PEM framing); a PEM is accepted too. Must be an EC P-256 key.
 */
export function sendgridPublicKey(key: string): KeyObject {
  const k = key.includes('BEGIN PUBLIC KEY')
    ? createPublicKey(key)
    : createPublicKey({ key: Buffer.from(key.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
  if (k.asymmetricKeyType !== 'ec' || k.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('SENDGRID_WEBHOOK_PUBLIC_KEY must be an ECDSA P-256 public key');
  }
  return k;
}

/** ECDSA P-256 / SHA-256 over `<timestamp>` + raw body; the signature header is base64 DER. */
export function verifySendgridSignature(key: KeyObject, timestamp: string | undefined, rawBody: Buffer, signature: string | undefined): boolean {
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  try {
    return createVerify('sha256').update(timestamp).update(rawBody).verify({ key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

type SendgridEvent = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null);

function feedbackOf(e: SendgridEvent): EmailFeedback | null {
  switch (e.event) {
    case 'delivered':
      return { kind: 'delivered' };
    case 'processed':
      return { kind: 'processed' };
    case 'deferred':
      return { kind: 'deferred' };
    case 'open':
      return { kind: 'opened' };
    case 'click':
      return { kind: 'clicked' };
    case 'bounce':
      return {
        kind: 'bounce',
        statusCode: str(e.status),
        diagnostic: str(e.reason),
        // Older payloads name a block by event "bounce" with type "blocked".
        label: str(e.type) ?? 'bounce',
        subType: str(e.bounce_classification),
      };
    case 'blocked':
      return { kind: 'bounce', statusCode: str(e.status), diagnostic: str(e.reason), label: 'blocked', subType: str(e.bounce_classification) };
    case 'dropped':
      return { kind: 'dropped', reason: str(e.reason) };
    case 'spamreport':
      return { kind: 'complaint', feedbackType: 'spamreport' };
    case 'unsubscribe':
    case 'group_unsubscribe':
      return { kind: 'unsubscribe' };
    default:
      return null;
  }
}

/**
 * The reports in one Event Webhook batch. Events without our message id (custom arg
 * `utskick_message_id`), without an sg_event_id, or of a kind we do not track are left out.
 */
export function sendgridReports(body: unknown): EmailReport[] {
  if (!Array.isArray(body)) return [];
  const out: EmailReport[] = [];
  for (const e of body as SendgridEvent[]) {
    if (!e || typeof e !== 'object') continue;
    const messageId = ourMessageId(e[SENDGRID_MESSAGE_ID_ARG]);
    const eventId = str(e.sg_event_id);
    const feedback = feedbackOf(e);
    if (!messageId || !eventId || !feedback) continue;
    out.push(
      emailReport(
        { messageId, eventType: String(e.event), source: 'sendgrid', providerEventId: eventId, providerMessageId: str(e.sg_message_id), payload: e },
        feedback,
      ),
    );
  }
  return out;
}
