import type { AddressEffect } from './email-feedback';

/** What one provider submission came to. Permanent rejections are values; retryable failures are thrown. */
export type SubmitResult =
  | { kind: 'accepted'; providerMessageId: string }
  | {
      kind: 'rejected';
      status: 'failed' | 'cannot_receive_sms' | 'opted_out' | 'bounced';
      error: string;
      /** The provider said the number cannot take SMS (Twilio 21614): later sends skip it. */
      markNotMobile?: boolean;
      /** What the answer proves about the e-mail address (a 5.1.1 at RCPT TO is a hard bounce). */
      addressEffect?: AddressEffect;
    }
  /**
   * The recipient's side said "not now" (an SMTP 4xx at RCPT TO or DATA): a soft bounce, retried
   * within the channel's window and never counted against the relay's breaker.
   */
  | { kind: 'deferred'; error: string; retryAfterMs?: number };

/** A failure worth retrying (timeouts, 429, 5xx, SMTP 4xx, connection errors); counts toward the breaker. */
export class RetryableProviderError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
