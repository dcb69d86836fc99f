import { FormApiClient, parseJsonObject } from './form-api-client';
import { RetryableProviderError, SubmitResult } from './send-result';
import { PolledSmsStatus, SmsStatusSource } from './sms-provider';
import { SmsReport, twilioReport, twilioSubmitVerdict } from './sms-status-codes';

export interface TwilioAccount {
  /** Account SID. */
  sid: string;
  authToken: string;
  baseUrl: string;
}

export interface SmsSubmission {
  to: string;
  from: string;
  body: string;
  statusCallback: string;
}

/** Twilio's Messages API: form POST with Basic auth, StatusCallback carrying our message id. */
export class TwilioProvider implements SmsStatusSource {
  readonly name = 'twilio';
  private readonly http: FormApiClient;
  private readonly path: string;

  constructor(
    readonly account: TwilioAccount,
    connections: number,
    timeoutMs: number,
  ) {
    this.http = new FormApiClient('twilio', account.baseUrl, account.sid, account.authToken, connections, timeoutMs);
    this.path = `${this.http.basePath}/2010-04-01/Accounts/${encodeURIComponent(account.sid)}/Messages`;
  }

  async submit(msg: SmsSubmission): Promise<SubmitResult> {
    const res = await this.http.request('POST', `${this.path}.json`, {
      To: msg.to,
      From: msg.from,
      Body: msg.body,
      StatusCallback: msg.statusCallback,
      // Never let the provider re-encode behind the estimate's back.
      SmartEncoded: 'false',
    });
    const json = parseJsonObject<{ sid?: string; code?: number; message?: string }>(res.text);
    if (res.statusCode === 200 || res.statusCode === 201) {
      if (!json.sid) throw new RetryableProviderError('twilio: accepted without a sid');
      return { kind: 'accepted', providerMessageId: json.sid };
    }
    const verdict = twilioSubmitVerdict(res.statusCode, json.code, json.message, res.headers['retry-after']);
    if (verdict.kind === 'retry') throw new RetryableProviderError(verdict.error, verdict.retryAfterMs);
    return { kind: 'rejected', status: verdict.status, error: verdict.error, markNotMobile: verdict.markNotMobile };
  }

  /** The Message resource: its current status and error code. */
  async fetchStatus(providerMessageId: string): Promise<PolledSmsStatus | null> {
    const res = await this.http.request('GET', `${this.path}/${encodeURIComponent(providerMessageId)}.json`);
    if (res.statusCode === 404) return null;
    const json = parseJsonObject<{ sid?: string; status?: string; error_code?: number | string | null; message?: string }>(res.text);
    if (res.statusCode !== 200 || typeof json.status !== 'string') {
      throw new RetryableProviderError(`twilio ${res.statusCode}: ${json.message ?? 'message status unavailable'}`);
    }
    const errorCode = json.error_code === null || json.error_code === undefined ? null : String(json.error_code);
    return { providerMessageId, status: json.status, errorCode, payload: { sid: json.sid, status: json.status, error_code: json.error_code ?? null, polled: true } };
  }

  report(polled: PolledSmsStatus): SmsReport | undefined {
    return twilioReport(polled.status, polled.errorCode);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

/** An HTML error page from a proxy parses to {}: the answer is judged by its status. */

export function twilioStatusCallbackUrl(publicBaseUrl: string, messageId: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/webhooks/twilio/status/${messageId}`;
}
