import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Tokens in the links of a mail (unsubscribe, re-subscribe, confirm): the message id and an HMAC of
 * it under LINK_SECRET. Unguessable without the secret; the message row says tenant, campaign, book
 * and address, so nothing else needs to be in the link.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function mac(secret: string, messageId: string): string {
  return createHmac('sha256', secret).update(`link:${messageId}`).digest('base64url').slice(0, 32);
}

export function linkToken(secret: string, messageId: string): string {
  return `${messageId}.${mac(secret, messageId)}`;
}

/** The message id a token names, or null when it is malformed or not ours (compared in constant time). */
export function verifyLinkToken(secret: string, token: string | undefined): string | null {
  if (typeof token !== 'string' || token.length > 100) return null;
  const dot = token.indexOf('.');
  const messageId = token.slice(0, dot).toLowerCase();
  if (dot < 0 || !UUID.test(messageId)) return null;
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(secret, messageId));
  return given.length === expected.length && timingSafeEqual(given, expected) ? messageId : null;
}

export type LinkKind = 'unsubscribe' | 'resubscribe' | 'confirm';
const PATHS: Record<LinkKind, string> = { unsubscribe: 'u', resubscribe: 'r', confirm: 'c' };

/** A recipient-page URL under PUBLIC_BASE_URL (status-ingest serves them). */
export function linkUrl(publicBaseUrl: string, secret: string, kind: LinkKind, messageId: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/${PATHS[kind]}/${linkToken(secret, messageId)}`;
}
