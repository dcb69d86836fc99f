import { createHmac, timingSafeEqual } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function tag(secret: string, messageId: string): string {
  return createHmac('sha256', secret).update(messageId).digest('hex').slice(0, 16);
}

/** VERP Return-Path carrying our message id and an HMAC: bounces+<id>.<hmac>@<domain>. */
export function verpAddress(secret: string, domain: string, messageId: string): string {
  return `bounces+${messageId}.${tag(secret, messageId)}@${domain}`;
}

/** The message id of a VERP address, or null when it is not ours or its HMAC does not match. */
export function parseVerpAddress(secret: string, address: string): string | null {
  const m = /^bounces\+([0-9a-f-]{36})\.([0-9a-f]{16})@/i.exec(address.trim());
  if (!m) return null;
  const id = m[1].toLowerCase();
  if (!UUID.test(id)) return null;
  const expected = Buffer.from(tag(secret, id));
  const given = Buffer.from(m[2].toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
}

/** The message id of a VERP address without checking its HMAC (for the sandbox, which holds no secret). */
export function verpMessageId(address: string): string | null {
  const m = /^bounces\+([0-9a-f-]{36})\./i.exec(address.trim());
  return m ? m[1].toLowerCase() : null;
}
