import { SANDBOX_SMS, SANDBOX_SMS_ERRORS } from './magic';
import { LiveConfig, SmsStatus } from './sandbox-config';
import { SmsRecord } from './sandbox-state';

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
