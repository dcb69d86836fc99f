import { Injectable } from '@nestjs/common';
import { CappedMap } from './capped-map';
import { SmsStatus } from './sandbox-config';

export const MAX_SMS_RECORDS = 10_000;
export const MAX_EMAIL_RECORDS = 1_000;
export const MAX_EMAIL_BYTES = 64 * 1024 * 1024;

export interface SmsRecord {
  /** Which API accepted it: the Twilio Messages API or 46elks' /a1/sms. */
  provider: 'twilio' | '46elks';
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  numSegments: number;
  /** Our message id: last path segment of the StatusCallback URL; null without one. */
  messageId: string | null;
  traceparent: string | null;
  status: SmsStatus;
  errorCode: number | null;
  dateCreated: Date;
  /** When it reached `delivered` (46elks reports the time). */
  deliveredAt: Date | null;
  acceptedAt: string;
}

export interface EmailRecord {
  messageId: string | null;
  from: string;
  to: string[];
  raw: string;
  acceptedAt: string;
}

interface ChannelStats {
  accepted: number;
  ids: Set<string>;
}

/**
 * Everything the sandbox remembers: counters, the set of distinct message ids and capped
 * lists of recent submissions. Nothing else grows with traffic.
 */
@Injectable()
export class SandboxState {
  private readonly sms: ChannelStats = { accepted: 0, ids: new Set() };
  private readonly email: ChannelStats = { accepted: 0, ids: new Set() };
  readonly smsRecords = new CappedMap<string, SmsRecord>(MAX_SMS_RECORDS);
  readonly emailRecords = new CappedMap<number, EmailRecord>(MAX_EMAIL_RECORDS, MAX_EMAIL_BYTES);
  private emailSeq = 0;
  /** Tries per message and address of the `softbounce` magic recipient. */
  readonly softBounces = new CappedMap<string, number>(100_000);

  acceptSms(record: SmsRecord): void {
    this.sms.accepted++;
    if (record.messageId) this.sms.ids.add(record.messageId);
    this.smsRecords.set(record.sid, record);
  }

  acceptEmail(record: EmailRecord): void {
    this.email.accepted++;
    if (record.messageId) this.email.ids.add(record.messageId);
    this.emailRecords.set(++this.emailSeq, record, record.raw.length);
  }

  stats() {
    return {
      sms: { accepted: this.sms.accepted, unique: this.sms.ids.size },
      email: { accepted: this.email.accepted, unique: this.email.ids.size },
    };
  }

  clear(): void {
    for (const c of [this.sms, this.email]) {
      c.accepted = 0;
      c.ids.clear();
    }
    this.smsRecords.clear();
    this.emailRecords.clear();
    this.softBounces.clear();
  }
}
