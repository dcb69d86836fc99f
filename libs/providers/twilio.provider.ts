import { Pool } from 'undici';
import { currentTraceHeaders } from '@utskick/observability';
import { RetryableProviderError, SubmitResult } from './send-result';

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

/** Twilio error codes at submission that name the recipient, not the platform. */
const REJECT_STATUS: Record<number, 'cannot_receive_sms' | 'opted_out' | 'failed'> = {
  21610: 'opted_out',
  21614: 'cannot_receive_sms',
  21211: 'failed',
  21408: 'failed',
  21612: 'failed',
};

/** Twilio's Messages API: form POST with Basic auth, StatusCallback carrying our message id. */
export class TwilioProvider {
  readonly name = 'twilio';
  private readonly pool: Pool;
  private readonly auth: string;
  private readonly path: string;

  constructor(
    readonly account: TwilioAccount,
    connections: number,
    private readonly timeoutMs: number,
  ) {
    const base = new URL(account.baseUrl);
    this.pool = new Pool(base.origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
    this.auth = 'Basic ' + Buffer.from(`${account.sid}:${account.authToken}`).toString('base64');
    this.path = `${base.pathname.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(account.sid)}/Messages.json`;
  }

  async submit(msg: SmsSubmission): Promise<SubmitResult> {
    const body = new URLSearchParams({
      To: msg.to,
      From: msg.from,
      Body: msg.body,
      StatusCallback: msg.statusCallback,
      // Never let the provider re-encode behind the estimate's back.
      SmartEncoded: 'false',
    }).toString();
    let res;
    try {
      res = await this.pool.request({
        method: 'POST',
        path: this.path,
        headers: {
          authorization: this.auth,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          ...currentTraceHeaders(),
        },
        body,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
    } catch (err) {
      throw new RetryableProviderError(`twilio: ${(err as Error).message}`);
    }
    const text = await res.body.text();
    let json: { sid?: string; code?: number; message?: string } = {};
    try {
      json = JSON.parse(text);
    } catch {
      /* an HTML error page from a proxy: judged by status below */
    }
    if (res.statusCode === 200 || res.statusCode === 201) {
      if (!json.sid) throw new RetryableProviderError('twilio: accepted without a sid');
      return { kind: 'accepted', providerMessageId: json.sid };
    }
    if (res.statusCode === 429 || res.statusCode >= 500 || res.statusCode === 401 || res.statusCode === 403) {
      const retryAfter = Number(res.headers['retry-after']);
      throw new RetryableProviderError(
        `twilio ${res.statusCode}${json.code ? ` ${json.code}` : ''}: ${json.message ?? 'unavailable'}`,
        Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
      );
    }
    const status = (json.code && REJECT_STATUS[json.code]) || 'failed';
    return { kind: 'rejected', status, error: `twilio ${json.code ?? res.statusCode}: ${json.message ?? 'rejected'}` };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

export function twilioStatusCallbackUrl(publicBaseUrl: string, messageId: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/webhooks/twilio/status/${messageId}`;
}
