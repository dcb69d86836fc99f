import { Pool } from 'undici';
import { currentTraceHeaders } from '@utskick/observability';
import { RetryableProviderError } from './send-result';

export interface FormApiResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * An SMS provider's HTTP API as Twilio and 46elks shape it: Basic auth, form-encoded requests, JSON
 * answers, a bounded keep-alive pool and a deadline per request. A request that never got an answer
 * is retryable (the provider may or may not have it; the lease rules bound the duplicate).
 */
export class FormApiClient {
  private readonly pool: Pool;
  private readonly auth: string;
  /** The base URL's path, without a trailing slash: request paths are appended to it. */
  readonly basePath: string;

  constructor(
    private readonly provider: string,
    baseUrl: string,
    user: string,
    password: string,
    connections: number,
    private readonly timeoutMs: number,
  ) {
    const base = new URL(baseUrl);
    this.pool = new Pool(base.origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
    this.auth = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
    this.basePath = base.pathname.replace(/\/$/, '');
  }

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<FormApiResponse> {
    const body = form === undefined ? undefined : new URLSearchParams(form).toString();
    try {
      const res = await this.pool.request({
        method,
        path,
        headers: {
          authorization: this.auth,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
          ...currentTraceHeaders(),
        },
        body,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      return { statusCode: res.statusCode, headers: res.headers, text: await res.body.text() };
    } catch (err) {
      throw new RetryableProviderError(`${this.provider}: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** A provider's JSON answer as an object; an HTML error page from a proxy, or anything else, is an empty one. */
export function parseJsonObject<T>(text: string): Partial<T> {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Partial<T>) : {};
  } catch {
    return {};
  }
}
