import { FormApiClient, parseJsonObject } from './form-api-client';
import { RetryableProviderError, SubmitResult } from './send-result';
import { PolledSmsStatus, SmsStatusSource } from './sms-provider';
import { elksReport, elksSubmitVerdict, SmsReport } from './sms-status-codes';

export interface ElksAccount {
  username: string;
  password: string;
  /** https://api.46elks.com, or the provider sandbox. */
  baseUrl: string;
}

export interface ElksSubmission {
  to: string;
  /** A text sender (3–11 letters and digits) or an E.164 number. */
  from: string;
  message: string;
  /** Our per-tenant delivery-report URL (elksCallbackUrl). */
  whendelivered: string;
}

/** The fields of 46elks' SMS resource that matter here. */
type ElksSms = { id: unknown; status: unknown; delivered: unknown };

/** 46elks' SMS API: form POST /a1/sms with Basic auth; reports come to `whendelivered`. */
export class ElksProvider implements SmsStatusSource {
  readonly name = '46elks';
  private readonly http: FormApiClient;
  private readonly path: string;

  constructor(
    readonly account: ElksAccount,
    connections: number,
    timeoutMs: number,
  ) {
    this.http = new FormApiClient('46elks', account.baseUrl, account.username, account.password, connections, timeoutMs);
    this.path = `${this.http.basePath}/a1/sms`;
  }

  async submit(msg: ElksSubmission): Promise<SubmitResult> {
    const res = await this.http.request('POST', this.path, { from: msg.from, to: msg.to, message: msg.message, whendelivered: msg.whendelivered });
    if (res.statusCode === 200 || res.statusCode === 201) {
      const json = parseJsonObject<ElksSms>(res.text);
      if (typeof json.id !== 'string' || !json.id) throw new RetryableProviderError('46elks: accepted without an id');
      return { kind: 'accepted', providerMessageId: json.id };
    }
    const verdict = elksSubmitVerdict(res.statusCode, res.text, res.headers['retry-after']);
    if (verdict.kind === 'retry') throw new RetryableProviderError(verdict.error, verdict.retryAfterMs);
    return { kind: 'rejected', status: verdict.status, error: verdict.error, markNotMobile: verdict.markNotMobile };
  }

  /** GET /a1/sms/{id}: the message's current status. */
  async fetchStatus(providerMessageId: string): Promise<PolledSmsStatus | null> {
    const res = await this.http.request('GET', `${this.path}/${encodeURIComponent(providerMessageId)}`);
    if (res.statusCode === 404) return null;
    const json = parseJsonObject<ElksSms>(res.text);
    if (res.statusCode !== 200 || typeof json.status !== 'string') {
      throw new RetryableProviderError(`46elks ${res.statusCode}: ${res.text.trim().slice(0, 200) || 'message status unavailable'}`);
    }
    return {
      providerMessageId,
      status: json.status,
      errorCode: null,
      payload: { id: json.id ?? providerMessageId, status: json.status, delivered: json.delivered ?? null, polled: true },
    };
  }

  report(polled: PolledSmsStatus): SmsReport | undefined {
    return elksReport(polled.status);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

