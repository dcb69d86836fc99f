import { SANDBOX_SMS, SANDBOX_SMS_ERRORS } from './magic';
import { LiveConfig, SmsStatus } from './sandbox-config';
import { SmsRecord } from './sandbox-state';
import { smsSegments } from './sms-segments';

export interface PlannedStatus {
  status: SmsStatus;
  errorCode: number | null;
}

/** The final report of the magic recipients (the same for both APIs). */
const FINAL_FAILURES: Record<string, PlannedStatus> = {
  [SANDBOX_SMS.unreachable]: { status: 'undelivered', errorCode: SANDBOX_SMS_ERRORS.unreachable },
  [SANDBOX_SMS.failsLater]: { status: 'failed', errorCode: SANDBOX_SMS_ERRORS.failsLater },
  [SANDBOX_SMS.landline]: { status: 'undelivered', errorCode: SANDBOX_SMS_ERRORS.landline },
  [SANDBOX_SMS.notMobile]: { status: 'failed', errorCode: SANDBOX_SMS_ERRORS.notMobile },
};

/** The configured statuses in order; a magic recipient replaces the last one by its failure. */
export function plannedStatuses(config: LiveConfig, to: string): PlannedStatus[] {
  const statuses: PlannedStatus[] = config.smsCallbackStatuses.map((status) => ({ status, errorCode: null }));
  const failure = FINAL_FAILURES[to];
  if (failure) {
    if (statuses.length) statuses[statuses.length - 1] = failure;
    else statuses.push(failure);
  }
  return statuses;
}

export function applyStatus(r: SmsRecord, p: PlannedStatus): void {
  r.status = p.status;
  r.errorCode = p.errorCode;
  if (p.status === 'delivered') r.deliveredAt ??= new Date();
}

/** With callbacks off (or no callback URL) the message still reaches its final state, for a poll to find. */
export function advanceSilently(r: SmsRecord, planned: PlannedStatus[], delayMs: number): void {
  const last = planned[planned.length - 1];
  if (!last) return;
  if (delayMs > 0) setTimeout(() => applyStatus(r, last), delayMs).unref();
  else applyStatus(r, last);
}

/** Our message id: the last path segment of the callback URL (`…/webhooks/twilio/status/<id>`, `…/delivery/<id>`). */
export function messageIdFromCallback(url: string | null): string | null {
  if (!url) return null;
  const path = url.split(/[?#]/, 1)[0];
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (!last) return null;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** A submission as the sandbox keeps it, whichever API took it: queued, its parts counted, our id read off its callback URL. */
export function newSmsRecord(
  f: Pick<SmsRecord, 'provider' | 'sid' | 'accountSid' | 'to' | 'from' | 'body' | 'traceparent'> & { callbackUrl: string | null },
  now = new Date(),
): SmsRecord {
  return {
    provider: f.provider,
    sid: f.sid,
    accountSid: f.accountSid,
    to: f.to,
    from: f.from,
    body: f.body,
    numSegments: smsSegments(f.body),
    messageId: messageIdFromCallback(f.callbackUrl),
    traceparent: f.traceparent,
    status: 'queued',
    errorCode: null,
    dateCreated: now,
    deliveredAt: null,
    acceptedAt: now.toISOString(),
  };
}

/** Plays an accepted message's planned statuses: as callbacks when it named a URL and they are on, else silently. */
export function startProgress(
  r: SmsRecord,
  callbackUrl: string | null,
  config: LiveConfig,
  scheduleCallbacks: (url: string, planned: PlannedStatus[]) => void,
): void {
  const planned = plannedStatuses(config, r.to);
  if (callbackUrl && config.smsCallbacks) scheduleCallbacks(callbackUrl, planned);
  else advanceSilently(r, planned, config.callbackDelayMs);
}
