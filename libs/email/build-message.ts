import { verpAddress } from '@utskick/providers';
import type { SendMailOptions } from 'nodemailer';
import { oneLine, RenderedEmail } from './render-email';

/**
 * Signed header fields: nodemailer's default list without the rarely present ones, plus
 * List-Unsubscribe-Post (RFC 8058 requires it signed; nodemailer's default lacks it) and our id.
 */
export const DKIM_HEADER_FIELDS = [
  'From', 'Sender', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'To', 'Cc', 'MIME-Version',
  'Content-Type', 'Content-Transfer-Encoding', 'List-Id', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'X-Utskick-Message-Id',
].join(':');

/** A tenant's sending domain with its DKIM key (decrypted). */
export interface SendingDomainKey {
  domain: string;
  selector: string;
  privateKey: string;
}

export interface BuildMessageInput {
  /** Our message id: X-Utskick-Message-Id, Message-ID and the VERP envelope sender carry it. */
  messageId: string;
  to: string;
  rendered: RenderedEmail;
  sender?: { name: string; office: string; replyTo: string } | null;
  /** Local part of From on the tenant's domain (default noreply). */
  fromLocalPart?: string;
  /** Display name when the campaign names no sender. */
  tenantName?: string;
  /** The tenant's sending domain; without one mail goes from EMAIL_FROM's address. */
  domain: SendingDomainKey | null;
  /** EMAIL_FROM, e.g. `Utskick <noreply@utskick.test>`. */
  defaultFrom: string;
  /** The one-click URL of marketing mail; null for transactional mail (no List-Unsubscribe). */
  unsubscribeUrl: string | null;
  verp: { secret: string; domain: string };
}

const LOCAL_PART = /^[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?$/i;
/** One plain addr-spec: nodemailer would read "a@x.se b@y.se" as a list and send to both. */
const PLAIN_ADDRESS = /^[^\s@,;:<>()[\]"\\]+@[^\s@,;:<>()[\]"\\]+$/;

/** Whether a value (trimmed, on one line) is one plain address that buildMessage will take. */
export function isPlainAddress(value: string): boolean {
  return PLAIN_ADDRESS.test(oneLine(value).trim());
}

/** A message that cannot be built as asked (an address that is not one plain address): retrying will not help. */
export class UnsendableEmailError extends Error {}

/** `Name <address>` or a bare address, as EMAIL_FROM is configured. */
export function parseMailbox(value: string): { name: string; address: string } {
  const m = /^\s*(?:"?([^"<]*?)"?\s*)?<([^<>\s]+)>\s*$/.exec(value);
  return m ? { name: m[1]?.trim() ?? '', address: m[2] } : { name: '', address: value.trim() };
}

/** A mailbox for display (a preview): the name quoted when it has specials, never encoded. */
export function formatMailbox(m: { name: string; address: string }): string {
  if (!m.name) return m.address;
  return /^[\p{L}\p{N} !#$%&'*+\-/=?^_`{|}~]*$/u.test(m.name) ? `${m.name} <${m.address}>` : `"${m.name.replace(/(["\\])/g, '\\$1')}" <${m.address}>`;
}

/**
 * nodemailer message options for one recipient. Every user-supplied value goes in as a structured
 * field that nodemailer encodes (RFC 2047 for non-ASCII), never as a prepared header, and has CR/LF
 * replaced by a space first. Marketing mail carries exactly one List-Unsubscribe (the one-click
 * URL) and List-Unsubscribe-Post; DKIM signs both when the tenant has a sending domain.
 */
export function buildMessage(input: BuildMessageInput): SendMailOptions {
  const { sender, domain } = input;
  const fallback = parseMailbox(input.defaultFrom);
  const localPart = input.fromLocalPart && LOCAL_PART.test(input.fromLocalPart) ? input.fromLocalPart : 'noreply';
  const fromAddress = domain ? `${localPart}@${domain.domain}` : fallback.address;
  const fromName = sender ? `${oneLine(sender.name).trim()} (${oneLine(sender.office).trim()})` : input.tenantName ? oneLine(input.tenantName).trim() : fallback.name;
  const to = oneLine(input.to).trim();
  if (!PLAIN_ADDRESS.test(to)) throw new UnsendableEmailError('the recipient is not one plain e-mail address');
  const replyTo = sender ? oneLine(sender.replyTo).trim() : null;
  if (replyTo !== null && !PLAIN_ADDRESS.test(replyTo)) throw new UnsendableEmailError("the sender's reply address is not one plain e-mail address");

  const headers: Record<string, string> = { 'X-Utskick-Message-Id': input.messageId };
  const options: SendMailOptions = {
    envelope: { from: verpAddress(input.verp.secret, input.verp.domain, input.messageId), to: [to] },
    from: { name: fromName, address: fromAddress },
    to,
    subject: oneLine(input.rendered.subject),
    text: input.rendered.text,
    html: input.rendered.html,
    messageId: `<${input.messageId}@${domain?.domain ?? input.verp.domain}>`,
    headers,
  };
  if (sender && replyTo) options.replyTo = { name: oneLine(sender.name).trim(), address: replyTo };
  if (input.unsubscribeUrl) {
    // nodemailer's `list` makes the one header line from our own URL; the Post header is a constant.
    options.list = { unsubscribe: input.unsubscribeUrl };
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  if (domain) {
    options.dkim = { domainName: domain.domain, keySelector: domain.selector, privateKey: domain.privateKey, headerFieldNames: DKIM_HEADER_FIELDS };
  }
  return options;
}
