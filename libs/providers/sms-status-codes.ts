/**
 * What SMS providers' answers and reports mean for a message, in one table per provider. Pure:
 * the adapters and webhooks turn HTTP answers and callback fields into these verdicts.
 */

/** A submission the provider refused for this message (not for the platform): final, never retried. */
export interface SubmitRejection {
  kind: 'rejected';
  status: 'failed' | 'cannot_receive_sms' | 'opted_out';
  error: string;
  /** The provider says the number cannot take SMS: later sends skip it. */
  markNotMobile: boolean;
}

/** A platform-side failure (rate limit, outage, credentials, account): retried with back-off. */
export interface SubmitRetry {
  kind: 'retry';
  error: string;
  retryAfterMs?: number;
}

export type SubmitVerdict = SubmitRejection | SubmitRetry;

/** A delivery report: the status it moves the message to (null: an event row only). */
export interface SmsReport {
  status: 'sent' | 'delivered' | 'undelivered' | 'failed' | null;
  error: string | null;
  markNotMobile: boolean;
}

/** Twilio error codes at submission that are about the recipient or this message. */
const TWILIO_SUBMIT_CODES: Record<number, { status: SubmitRejection['status']; markNotMobile?: boolean }> = {
  21610: { status: 'opted_out' }, // the recipient replied STOP to this sender
  21614: { status: 'cannot_receive_sms', markNotMobile: true }, // 'To' is not a mobile number
  21211: { status: 'failed' }, // invalid 'To'
  21408: { status: 'failed' }, // no permission for the destination region
  21612: { status: 'failed' }, // the To/From pair cannot be routed
};

/** Twilio report error codes that say the handset was not reached (rather than an error of ours). */
const TWILIO_UNDELIVERED_CODES: Record<string, { markNotMobile?: boolean }> = {
  '30003': {}, // unreachable destination handset
  '30005': {}, // unknown destination handset
  '30006': { markNotMobile: true }, // landline or unreachable carrier
};

/** Retry-After in seconds (or an HTTP date) → milliseconds. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function platformFailure(httpStatus: number): boolean {
  return httpStatus === 401 || httpStatus === 403 || httpStatus === 429 || httpStatus >= 500;
}

/** A non-2xx answer of Twilio's Messages API. */
export function twilioSubmitVerdict(httpStatus: number, code: number | undefined, message: string | undefined, retryAfter?: string | string[]): SubmitVerdict {
  if (platformFailure(httpStatus)) {
    return { kind: 'retry', error: `twilio ${httpStatus}${code ? ` ${code}` : ''}: ${message ?? 'unavailable'}`, retryAfterMs: retryAfterMs(retryAfter) };
  }
  const known = code === undefined ? undefined : TWILIO_SUBMIT_CODES[code];
  return {
    kind: 'rejected',
    status: known?.status ?? 'failed',
    error: `twilio ${code ?? httpStatus}: ${message ?? 'rejected'}`,
    markNotMobile: known?.markNotMobile ?? false,
  };
}

/** A Twilio status callback or message resource: MessageStatus plus ErrorCode. Undefined: not a Twilio status. */
export function twilioReport(messageStatus: string, errorCode?: string | number | null): SmsReport | undefined {
  const code = errorCode === undefined || errorCode === null || errorCode === '' ? null : String(errorCode);
  const error = code ? `twilio ${code}` : null;
  switch (messageStatus.toLowerCase()) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
    case 'read':
      return { status: null, error: null, markNotMobile: false };
    case 'sent':
      return { status: 'sent', error: null, markNotMobile: false };
    case 'delivered':
      return { status: 'delivered', error: null, markNotMobile: false };
    case 'canceled':
      return { status: 'failed', error: error ?? 'twilio: canceled', markNotMobile: false };
    case 'undelivered':
    case 'failed': {
      const unreached = code ? TWILIO_UNDELIVERED_CODES[code] : undefined;
      const status = messageStatus.toLowerCase() === 'undelivered' || unreached ? 'undelivered' : 'failed';
      return { status, error: error ?? `twilio: ${messageStatus.toLowerCase()}`, markNotMobile: unreached?.markNotMobile ?? false };
    }
    default:
      return undefined;
  }
}

/**
 * A non-2xx answer of 46elks' POST /a1/sms: a plain-text reason. "Not enough credits" is the
 * account's problem, not the recipient's: retried (and it trips the breaker) until topped up.
 */
export function elksSubmitVerdict(httpStatus: number, body: string, retryAfter?: string | string[]): SubmitVerdict {
  const text = body.trim().slice(0, 200) || `HTTP ${httpStatus}`;
  if (platformFailure(httpStatus) || /not enough credits|insufficient (funds|credits)/i.test(text)) {
    return { kind: 'retry', error: `46elks ${httpStatus}: ${text}`, retryAfterMs: retryAfterMs(retryAfter) };
  }
  return { kind: 'rejected', status: 'failed', error: `46elks ${httpStatus}: ${text}`, markNotMobile: false };
}

/** A 46elks delivery report (`whendelivered` callback, or GET /a1/sms/{id}). Undefined: not a 46elks status. */
export function elksReport(status: string): SmsReport | undefined {
  switch (status.toLowerCase()) {
    case 'created':
      return { status: null, error: null, markNotMobile: false };
    case 'sent':
      return { status: 'sent', error: null, markNotMobile: false };
    case 'delivered':
      return { status: 'delivered', error: null, markNotMobile: false };
    case 'failed':
      // 46elks says no more than "failed" after the carrier took it: the handset was not reached.
      return { status: 'undelivered', error: '46elks: failed', markNotMobile: false };
    default:
      return undefined;
  }
}

/** The provider event id of a report: a callback and a poll of the same state are one event. */
export function smsReportEventId(providerMessageId: string, providerStatus: string): string {
  return `${providerMessageId}:${providerStatus.toLowerCase()}`;
}
