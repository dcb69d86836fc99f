import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * 46elks signs nothing, so its callback URLs carry a per-tenant secret: an HMAC of the tenant id
 * under the platform's ELKS_CALLBACK_SECRET (nothing to store, rotated with that one secret).
 */
export function elksCallbackToken(secret: string, tenantId: string): string {
  return createHmac('sha256', secret).update(`46elks:${tenantId.toLowerCase()}`).digest('base64url').slice(0, 32);
}

/** Constant-time check of a token taken from a callback URL. */
export function verifyElksCallbackToken(secret: string, tenantId: string, token: string | undefined): boolean {
  if (typeof token !== 'string') return false;
  const expected = Buffer.from(elksCallbackToken(secret, tenantId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Where 46elks posts for a tenant: `kind` is `delivery/<messageId>` for reports, `inbound` for received SMS. */
export function elksCallbackUrl(publicBaseUrl: string, secret: string, tenantId: string, kind: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/webhooks/46elks/${tenantId}/${elksCallbackToken(secret, tenantId)}/${kind}`;
}
