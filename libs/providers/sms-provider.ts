import { SmsReport } from './sms-status-codes';

/** A message's state as its provider answers when asked (the poll of a message with no report). */
export interface PolledSmsStatus {
  providerMessageId: string;
  /** The provider's own status word ("delivered", "undelivered", "failed", …). */
  status: string;
  errorCode: string | null;
  payload: unknown;
}

/** An SMS provider that can be asked about a message it accepted. */
export interface SmsStatusSource {
  /** Also the `source` of its status events: a poll and a callback of one state are one event. */
  readonly name: string;
  /** Null when the provider does not know the id (404). Throws when it could not be asked. */
  fetchStatus(providerMessageId: string): Promise<PolledSmsStatus | null>;
  /** The status table of this provider (the same the webhook uses). */
  report(polled: PolledSmsStatus): SmsReport | undefined;
}
