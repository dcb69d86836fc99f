import { createHmac, timingSafeEqual } from 'node:crypto';

/** The sandbox e-mail event webhook: base64 HMAC-SHA256 over `<timestamp>` + raw body. */
export function sandboxSignature(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(timestamp).update(rawBody).digest('base64');
}

export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature';
export const SANDBOX_TIMESTAMP_HEADER = 'x-sandbox-timestamp';

export function verifySandboxSignature(
  secret: string,
  timestamp: string | undefined,
  rawBody: Buffer,
  signature: string | undefined,
  maxSkewSeconds = 300,
  now = Date.now(),
): boolean {
  if (!timestamp || !signature) return false;
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(now / 1000 - ts) > maxSkewSeconds) return false;
  const expected = Buffer.from(sandboxSignature(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
