import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Callback, CallbackSender } from './callback-sender';
import { LiveConfig, SmsStatus } from './sandbox-config';
import { SandboxState, SmsRecord } from './sandbox-state';
import { applyStatus, newSmsRecord, PlannedStatus, startProgress } from './sms-progress';

/** What one part costs, in 46elks' unit (1/10000 of the account currency): 0.35 SEK. */
const PART_COST = 3500;

export type ElksStatus = 'created' | 'sent' | 'delivered' | 'failed';

/** 46elks knows created → sent → delivered | failed; the sandbox's richer statuses map onto those. */
export function elksStatus(s: SmsStatus): ElksStatus {
  switch (s) {
    case 'queued':
    case 'sending':
      return 'created';
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'read':
      return 'delivered';
    default:
      return 'failed';
  }
}

/** 46elks writes UTC times without a zone: 2018-07-13T13:57:23.741000. */
function elksTime(d: Date): string {
  return d.toISOString().replace('Z', '000');
}

export interface ElksSendParams {
  to: string;
  from: string;
  message: string;
  whendelivered: string | null;
  traceparent: string | null;
}

@Injectable()
export class ElksMessagesService {
  constructor(
    private readonly state: SandboxState,
    private readonly config: LiveConfig,
    private readonly sender: CallbackSender,
  ) {}

  accept(p: ElksSendParams) {
    const record = newSmsRecord({
      provider: '46elks',
      sid: 's' + randomBytes(16).toString('hex'),
      accountSid: 'sandbox',
      to: p.to,
      from: p.from,
      body: p.message,
      traceparent: p.traceparent,
      callbackUrl: p.whendelivered,
    });
    this.state.acceptSms(record);
    const resource = this.resource(record);
    startProgress(record, p.whendelivered, this.config, (url, planned) => this.scheduleCallbacks(record, url, planned));
    return resource;
  }

  find(id: string): SmsRecord | undefined {
    const r = this.state.smsRecords.get(id);
    return r && r.provider === '46elks' ? r : undefined;
  }

  /** The SMS as GET /a1/sms/{id} shows it. */
  resource(r: SmsRecord) {
    return {
      id: r.sid,
      status: elksStatus(r.status),
      direction: 'outgoing',
      from: r.from,
      to: r.to,
      created: elksTime(r.dateCreated),
      ...(r.deliveredAt ? { delivered: elksTime(r.deliveredAt) } : {}),
      parts: r.numSegments,
      message: r.body,
      cost: r.numSegments * PART_COST,
    };
  }

  /** One report per distinct 46elks status, in order (it never reports created or the same status twice). */
  private scheduleCallbacks(record: SmsRecord, url: string, planned: PlannedStatus[]): void {
    const reports: PlannedStatus[] = [];
    for (const p of planned) {
      const s = elksStatus(p.status);
      if (s === 'created') continue;
      if (reports.length && elksStatus(reports[reports.length - 1].status) === s) reports[reports.length - 1] = p;
      else reports.push(p);
    }
    let chain: Callback | undefined;
    for (let i = reports.length - 1; i >= 0; i--) chain = this.callback(record, url, reports[i], chain);
    if (chain) this.sender.send(chain, this.config.callbackDelayMs);
  }

  private callback(r: SmsRecord, url: string, p: PlannedStatus, next?: Callback): Callback {
    return {
      url,
      contentType: 'application/x-www-form-urlencoded',
      payload: () => {
        const params: Record<string, string> = { id: r.sid, status: elksStatus(p.status) };
        if (r.deliveredAt && params.status === 'delivered') params.delivered = elksTime(r.deliveredAt);
        return { body: new URLSearchParams(params).toString() };
      },
      onStart: () => applyStatus(r, p),
      next,
    };
  }
}
