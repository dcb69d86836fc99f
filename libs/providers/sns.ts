import { createVerify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'undici';

/** Where SNS certificates and subscription URLs may live: https on sns.<region>.amazonaws.com, nowhere else. */
const SNS_HOST = /^sns\.[a-z]{2}(-[a-z]+)+-\d+\.amazonaws\.com$/;

/** The signing certificate of a SigningCertURL, as PEM. Implementations cache; the URL is checked before any fetch. */
export interface CertificateSource {
  fetch(url: string): Promise<string>;
}

/** Visits a SubscriptionConfirmation's SubscribeURL (already checked to be an SNS URL). */
export interface SubscriptionClient {
  confirm(url: string): Promise<void>;
}

export class SnsRejected extends Error {}

/** The signing certificate could not be fetched now: worth SNS's retry (answered 503), not a verdict on the message. */
export class SnsCertificateUnavailable extends Error {}

/** Whether a URL is an https URL on an SNS regional host (no credentials, default port). */
export function isSnsUrl(url: unknown): url is string {
  if (typeof url !== 'string') return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && SNS_HOST.test(u.hostname) && !u.port && !u.username && !u.password;
}

const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_FIELDS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;

export type SnsMessage = Record<string, unknown> & { Type: string; MessageId: string };

/** The canonical string SNS signs: "Name\nvalue\n" for each of the type's fields in order (Subject only when present). */
export function snsStringToSign(msg: Record<string, unknown>): string {
  const fields = msg.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  let out = '';
  for (const f of fields) {
    const v = msg[f];
    if (v === undefined || v === null) {
      if (f === 'Subject') continue;
      throw new SnsRejected(`field ${f} is missing`);
    }
    if (typeof v !== 'string') throw new SnsRejected(`field ${f} is not a string`);
    out += `${f}\n${v}\n`;
  }
  return out;
}

export type SnsReceipt =
  | { kind: 'subscribed'; topicArn: string }
  | { kind: 'unsubscribed'; topicArn: string }
  | { kind: 'notification'; messageId: string; topicArn: string; message: string; timestamp: string };

export interface SnsOptions {
  /** The only topics accepted; none configured accepts nothing (SNS signs any AWS account's topic, so a signature alone proves no SES of ours). */
  topicArns: string[];
}

/**
 * An SNS HTTP(S) endpoint: checks the signature (version 1 SHA1withRSA, version 2 SHA256withRSA)
 * with the certificate at SigningCertURL — fetched only from an SNS host, through the given
 * source — confirms subscriptions through the given client, and hands back notifications.
 */
export class SnsEndpoint {
  constructor(
    private readonly certificates: CertificateSource,
    private readonly subscriptions: SubscriptionClient,
    private readonly opts: SnsOptions,
  ) {}

  /** Parses and verifies a raw POST body; throws SnsRejected for anything not provably from SNS. */
  async verify(raw: string): Promise<SnsMessage> {
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      throw new SnsRejected('body is not JSON');
    }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) throw new SnsRejected('body is not an SNS message');
    const m = msg as Record<string, unknown>;
    if (!['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'].includes(m.Type as string)) {
      throw new SnsRejected('unknown message type');
    }
    const algorithm = m.SignatureVersion === '1' ? 'RSA-SHA1' : m.SignatureVersion === '2' ? 'RSA-SHA256' : null;
    if (!algorithm) throw new SnsRejected('unsupported SignatureVersion');
    if (typeof m.Signature !== 'string' || !m.Signature) throw new SnsRejected('no signature');
    if (!isSnsUrl(m.SigningCertURL) || !new URL(m.SigningCertURL).pathname.endsWith('.pem')) {
      throw new SnsRejected('SigningCertURL is not an SNS certificate URL');
    }
    if (!this.opts.topicArns.length) throw new SnsRejected('no SNS topic is configured (SES_SNS_TOPIC_ARNS)');
    if (!this.opts.topicArns.includes(m.TopicArn as string)) throw new SnsRejected('unexpected topic');
    const text = snsStringToSign(m);
    let pem: string;
    try {
      pem = await this.certificates.fetch(m.SigningCertURL);
    } catch (err) {
      // Not a verdict on the message: the provider retries what we could not check.
      throw new SnsCertificateUnavailable(`SNS certificate unavailable: ${(err as Error).message}`);
    }
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      throw new SnsRejected('signing certificate is not a certificate');
    }
    const now = Date.now();
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) throw new SnsRejected('signing certificate expired');
    const ok = createVerify(algorithm).update(text, 'utf8').verify(cert.publicKey, Buffer.from(m.Signature, 'base64'));
    if (!ok) throw new SnsRejected('signature does not match');
    return m as SnsMessage;
  }

  /** Verifies a raw POST body and acts on its type. */
  async receive(raw: string): Promise<SnsReceipt> {
    const m = await this.verify(raw);
    const topicArn = String(m.TopicArn);
    if (m.Type === 'SubscriptionConfirmation') {
      if (!isSnsUrl(m.SubscribeURL)) throw new SnsRejected('SubscribeURL is not an SNS URL');
      await this.subscriptions.confirm(m.SubscribeURL);
      return { kind: 'subscribed', topicArn };
    }
    if (m.Type === 'UnsubscribeConfirmation') return { kind: 'unsubscribed', topicArn };
    return { kind: 'notification', messageId: m.MessageId, topicArn, message: String(m.Message), timestamp: String(m.Timestamp) };
  }
}

/** Production certificate source: https GET through undici, cached per URL (SNS rotates certificates rarely). */
export class HttpCertificateSource implements CertificateSource {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(private readonly timeoutMs = 5000) {}

  fetch(url: string): Promise<string> {
    // Callers check the URL; this check keeps the source safe on its own.
    if (!isSnsUrl(url)) return Promise.reject(new Error('not an SNS URL'));
    let pem = this.cache.get(url);
    if (!pem) {
      if (this.cache.size >= 32) this.cache.clear();
      pem = this.load(url);
      this.cache.set(url, pem);
      pem.catch(() => this.cache.delete(url));
    }
    return pem;
  }

  private async load(url: string): Promise<string> {
    const res = await request(url, { method: 'GET', headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs } as Parameters<typeof request>[1]);
    const body = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode}`);
    if (!body.includes('-----BEGIN CERTIFICATE-----') || body.length > 20_000) throw new Error(`GET ${url}: not a PEM certificate`);
    return body;
  }
}

/**
 * A certificate read from a file, answered for any SNS URL: for test clusters (SNS_CERT_PEM_FILE),
 * where no AWS host is reachable. Verification still runs in full: URL check, signature, validity.
 */
export class FileCertificateSource implements CertificateSource {
  private pem?: string;

  constructor(private readonly path: string) {}

  async fetch(url: string): Promise<string> {
    if (!isSnsUrl(url)) throw new Error('not an SNS URL');
    this.pem ??= readFileSync(this.path, 'utf8');
    return this.pem;
  }
}

/** Production subscription client: one https GET of the SubscribeURL. */
export class HttpSubscriptionClient implements SubscriptionClient {
  constructor(private readonly timeoutMs = 5000) {}

  async confirm(url: string): Promise<void> {
    if (!isSnsUrl(url)) throw new Error('not an SNS URL');
    const res = await request(url, { method: 'GET', headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs } as Parameters<typeof request>[1]);
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`GET SubscribeURL: ${res.statusCode}`);
  }
}
