import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { twilioSignature } from '@utskick/providers';
import { Callback, CallbackSender } from './callback-sender';
import { SANDBOX_SMS_ERRORS } from './magic';
import { LiveConfig, SmsStatus } from './sandbox-config';
import { SandboxState, SmsRecord } from './sandbox-state';
import { applyStatus, newSmsRecord, PlannedStatus, startProgress } from './sms-progress';

export const TWILIO_API_VERSION = '2010-04-01';

const ERROR_MESSAGES: Record<number, string> = {
  [SANDBOX_SMS_ERRORS.unreachable]: 'Unreachable destination handset',
  [SANDBOX_SMS_ERRORS.landline]: 'Landline or unreachable carrier',
  [SANDBOX_SMS_ERRORS.notMobile]: "'To' number is not a valid mobile number",
  [SANDBOX_SMS_ERRORS.failsLater]: 'Unknown error',
};

export interface SendParams {
  accountSid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | null;
  traceparent: string | null;
}

/** RFC 2822 date as Twilio writes it: "Tue, 14 Jan 2025 10:00:00 +0000". */
function rfc2822(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}

@Injectable()
export class TwilioMessagesService {
  constructor(
    private readonly state: SandboxState,
    private readonly config: LiveConfig,
    private readonly sender: CallbackSender,
  ) {}

  /** Records an accepted send, schedules its callbacks and returns the resource as accepted (status queued). */
  accept(p: SendParams): ReturnType<TwilioMessagesService['resource']> {
    const record = newSmsRecord({
      provider: 'twilio',
      sid: 'SM' + randomUUID().replace(/-/g, ''),
      accountSid: p.accountSid,
      to: p.to,
      from: p.from,
      body: p.body,
      traceparent: p.traceparent,
      callbackUrl: p.statusCallback,
    });
    this.state.acceptSms(record);
    const resource = this.resource(record);
    startProgress(record, p.statusCallback, this.config, (url, planned) => this.scheduleCallbacks(record, url, planned));
    return resource;
  }

  find(accountSid: string, sid: string): SmsRecord | undefined {
    const r = this.state.smsRecords.get(sid);
    return r && r.provider === 'twilio' && r.accountSid === accountSid ? r : undefined;
  }

  /** The Twilio Message resource. */
  resource(r: SmsRecord) {
    const base = `/${TWILIO_API_VERSION}/Accounts/${r.accountSid}/Messages/${r.sid}`;
    const created = rfc2822(r.dateCreated);
    return {
      account_sid: r.accountSid,
      api_version: TWILIO_API_VERSION,
      body: r.body,
      date_created: created,
      date_sent: null,
      date_updated: created,
      direction: 'outbound-api',
      error_code: r.errorCode,
      error_message: r.errorCode === null ? null : (ERROR_MESSAGES[r.errorCode] ?? null),
      from: r.from,
      messaging_service_sid: null,
      num_media: '0',
      num_segments: String(r.numSegments),
      price: null,
      price_unit: 'USD',
      sid: r.sid,
      status: r.status,
      subresource_uris: { media: `${base}/Media.json` },
      to: r.to,
      uri: `${base}.json`,
    };
  }

  private scheduleCallbacks(record: SmsRecord, url: string, statuses: PlannedStatus[]): void {
    let chain: Callback | undefined;
    for (let i = statuses.length - 1; i >= 0; i--) {
      chain = this.callback(record, url, statuses[i].status, statuses[i].errorCode, chain);
    }
    if (chain) this.sender.send(chain, this.config.callbackDelayMs);
  }

  private callback(r: SmsRecord, url: string, status: SmsStatus, errorCode: number | null, next?: Callback): Callback {
    const token = this.config.env.SANDBOX_AUTH_TOKEN;
    return {
      url,
      contentType: 'application/x-www-form-urlencoded',
      payload: () => {
        const params: Record<string, string> = {
          MessageSid: r.sid,
          SmsSid: r.sid,
          AccountSid: r.accountSid,
          From: r.from,
          To: r.to,
          MessageStatus: status,
          SmsStatus: status,
          ApiVersion: TWILIO_API_VERSION,
        };
        if (errorCode !== null) params.ErrorCode = String(errorCode);
        return {
          body: new URLSearchParams(params).toString(),
          headers: { 'x-twilio-signature': twilioSignature(token, url, params) },
        };
      },
      onStart: () => applyStatus(r, { status, errorCode }),
      next,
    };
  }
}
