/** What one provider submission came to. Permanent rejections are values; retryable failures are thrown. */
export type SubmitResult =
  | { kind: 'accepted'; providerMessageId: string }
  | {
      kind: 'rejected';
      status: 'failed' | 'cannot_receive_sms' | 'opted_out' | 'bounced';
      error: string;
      /** The provider said the number cannot take SMS (Twilio 21614): later sends skip it. */
      markNotMobile?: boolean;
    };

/** A failure worth retrying (timeouts, 429, 5xx, SMTP 4xx, connection errors); counts toward the breaker. */
export class RetryableProviderError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
