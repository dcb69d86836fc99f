import { createSign } from 'node:crypto';
import { SES_TOPIC, SNS_CERT_URL, snsSigner, SnsSigner } from '../../test/support/sns-signer';
import { CertificateSource, isSnsUrl, SnsCertificateUnavailable, SnsEndpoint, SnsRejected, snsStringToSign, SubscriptionClient } from './sns';

/** A certificate source answering one PEM, recording what it was asked for. */
class PemSource implements CertificateSource {
  readonly asked: string[] = [];
  constructor(private readonly pem: string) {}
  async fetch(url: string): Promise<string> {
    this.asked.push(url);
    return this.pem;
  }
}

class RecordingSubscriptions implements SubscriptionClient {
  readonly confirmed: string[] = [];
  async confirm(url: string): Promise<void> {
    this.confirmed.push(url);
  }
}

describe('SNS message signatures', () => {
  let signer: SnsSigner;
  let other: SnsSigner;
  let certs: PemSource;
  let subs: RecordingSubscriptions;
  let sns: SnsEndpoint;

  beforeAll(() => {
    signer = snsSigner();
    other = snsSigner();
  });
  beforeEach(() => {
    certs = new PemSource(signer.certPem);
    subs = new RecordingSubscriptions();
    sns = new SnsEndpoint(certs, subs, { topicArns: [SES_TOPIC] });
  });

  const notification = (extra: Record<string, string> = {}) => ({ Type: 'Notification', Message: '{"notificationType":"Delivery"}', ...extra });
  const body = (m: unknown) => JSON.stringify(m);

  it.each(['1', '2'] as const)('accepts a notification signed with SignatureVersion %s', async (version) => {
    const m = signer.message(notification({ Subject: 'Amazon SES Email Event Notification' }), { version });
    await expect(sns.receive(body(m))).resolves.toEqual({
      kind: 'notification',
      messageId: m.MessageId,
      topicArn: SES_TOPIC,
      message: m.Message,
      timestamp: m.Timestamp,
    });
    expect(certs.asked).toEqual([SNS_CERT_URL]);
  });

  it('tells a certificate it cannot fetch now (answered 503, SNS retries) from a forged message', async () => {
    const unreachable: CertificateSource = { fetch: async () => Promise.reject(new Error('getaddrinfo ENOTFOUND')) };
    const endpoint = new SnsEndpoint(unreachable, subs, { topicArns: [SES_TOPIC] });
    await expect(endpoint.receive(body(signer.message(notification())))).rejects.toThrow(SnsCertificateUnavailable);
  });

  it('signs the canonical string: the type\'s fields in order, Subject only when present', () => {
    expect(snsStringToSign({ Type: 'Notification', Message: 'm', MessageId: 'i', Timestamp: 't', TopicArn: 'a', Extra: 'x' })).toBe(
      'Message\nm\nMessageId\ni\nTimestamp\nt\nTopicArn\na\nType\nNotification\n',
    );
    expect(
      snsStringToSign({ Type: 'SubscriptionConfirmation', Message: 'm', MessageId: 'i', SubscribeURL: 'u', Timestamp: 't', Token: 'k', TopicArn: 'a' }),
    ).toBe('Message\nm\nMessageId\ni\nSubscribeURL\nu\nTimestamp\nt\nToken\nk\nTopicArn\na\nType\nSubscriptionConfirmation\n');
  });

  it('rejects an altered message, an altered Subject, and a signature by another key', async () => {
    const m = signer.message(notification({ Subject: 'S' }));
    await expect(sns.receive(body({ ...m, Message: '{"notificationType":"Complaint"}' }))).rejects.toThrow(SnsRejected);
    await expect(sns.receive(body({ ...m, Subject: 'T' }))).rejects.toThrow(SnsRejected);
    // Dropping the signed Subject changes the canonical string too.
    const { Subject: _s, ...noSubject } = m;
    await expect(sns.receive(body(noSubject))).rejects.toThrow(SnsRejected);
    await expect(sns.receive(body(other.message(notification())))).rejects.toThrow('signature does not match');
    // A version 2 signature declared as version 1 (SHA-1) does not verify either.
    await expect(sns.receive(body({ ...m, SignatureVersion: '1' }))).rejects.toThrow(SnsRejected);
  });

  it('rejects a missing or unknown signature version and a missing signature', async () => {
    const m = signer.message(notification());
    await expect(sns.receive(body({ ...m, SignatureVersion: '3' }))).rejects.toThrow('unsupported SignatureVersion');
    const { Signature: _sig, ...unsigned } = m;
    await expect(sns.receive(body(unsigned))).rejects.toThrow('no signature');
    await expect(sns.receive('not json')).rejects.toThrow(SnsRejected);
    await expect(sns.receive(body({ ...m, Type: 'Other' }))).rejects.toThrow(SnsRejected);
  });

  it.each([
    ['http, not https', 'http://sns.eu-north-1.amazonaws.com/cert.pem'],
    ['a look-alike host', 'https://sns.eu-north-1.amazonaws.com.evil.test/cert.pem'],
    ['a host under another name', 'https://evil.test/sns.eu-north-1.amazonaws.com/cert.pem'],
    ['another AWS host', 'https://s3.eu-north-1.amazonaws.com/cert.pem'],
    ['credentials in the URL', 'https://x@sns.eu-north-1.amazonaws.com/cert.pem'],
    ['another port', 'https://sns.eu-north-1.amazonaws.com:8443/cert.pem'],
    ['not a .pem', 'https://sns.eu-north-1.amazonaws.com/cert.txt'],
  ])('never fetches a certificate from %s', async (_what, certUrl) => {
    // Signed correctly: only the certificate's origin is wrong.
    const m = signer.message(notification(), { certUrl });
    await expect(sns.receive(body(m))).rejects.toThrow('SigningCertURL');
    expect(certs.asked).toEqual([]);
  });

  it('rejects a certificate that is no certificate, and an unexpected topic when topics are configured', async () => {
    const bad = new SnsEndpoint(new PemSource(signer.keyPem), subs, { topicArns: [SES_TOPIC] });
    await expect(bad.receive(body(signer.message(notification())))).rejects.toThrow('not a certificate');
    const pinned = new SnsEndpoint(certs, subs, { topicArns: ['arn:aws:sns:eu-north-1:123456789012:other'] });
    await expect(pinned.receive(body(signer.message(notification())))).rejects.toThrow('unexpected topic');
  });

  it('accepts nothing, and confirms no subscription, when no topic is configured (any AWS account can make SNS sign)', async () => {
    const open = new SnsEndpoint(certs, subs, { topicArns: [] });
    await expect(open.receive(body(signer.message(notification())))).rejects.toThrow(SnsRejected);
    const url = 'https://sns.eu-north-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=x&Token=abc';
    const confirm = signer.message({ Type: 'SubscriptionConfirmation', Message: 'confirm', SubscribeURL: url, Token: 'abc' });
    await expect(open.receive(body(confirm))).rejects.toThrow(SnsRejected);
    await expect(sns.receive(body({ ...confirm }))).resolves.toMatchObject({ kind: 'subscribed' });
    const foreign = signer.message({ Type: 'SubscriptionConfirmation', Message: 'c', SubscribeURL: url, Token: 'abc', TopicArn: 'arn:aws:sns:eu-north-1:999999999999:theirs' });
    await expect(sns.receive(body(foreign))).rejects.toThrow('unexpected topic');
    expect(subs.confirmed).toEqual([url]);
  });

  it('confirms a signed SubscriptionConfirmation by visiting its SubscribeURL through the client', async () => {
    const url = 'https://sns.eu-north-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=x&Token=abc';
    const m = signer.message({ Type: 'SubscriptionConfirmation', Message: 'confirm', SubscribeURL: url, Token: 'abc' });
    await expect(sns.receive(body(m))).resolves.toEqual({ kind: 'subscribed', topicArn: SES_TOPIC });
    expect(subs.confirmed).toEqual([url]);
  });

  it('never visits a SubscribeURL off SNS, nor one of a forged confirmation', async () => {
    const offHost = signer.message({ Type: 'SubscriptionConfirmation', Message: 'c', SubscribeURL: 'https://evil.test/confirm', Token: 'abc' });
    await expect(sns.receive(body(offHost))).rejects.toThrow('SubscribeURL');
    const forged = other.message({ Type: 'SubscriptionConfirmation', Message: 'c', SubscribeURL: 'https://sns.eu-north-1.amazonaws.com/?x', Token: 'abc' });
    await expect(sns.receive(body(forged))).rejects.toThrow(SnsRejected);
    expect(subs.confirmed).toEqual([]);
  });

  it('takes a certificate URL as SNS only for https on sns.<region>.amazonaws.com', () => {
    expect(isSnsUrl('https://sns.us-east-1.amazonaws.com/a.pem')).toBe(true);
    expect(isSnsUrl('https://sns.us-gov-west-1.amazonaws.com/a.pem')).toBe(true);
    expect(isSnsUrl('https://sns.amazonaws.com/a.pem')).toBe(false);
    expect(isSnsUrl('https://sns.us-east-1.amazonaws.com.evil.test/a.pem')).toBe(false);
    expect(isSnsUrl('https://xsns.us-east-1.amazonaws.com/a.pem')).toBe(false);
    expect(isSnsUrl(42)).toBe(false);
  });

  it('a signature over the right text with the wrong algorithm (SHA-256 declared, SHA-1 made) is rejected', async () => {
    const m = signer.message(notification());
    const sha1 = createSign('RSA-SHA1').update(snsStringToSign(m)).sign(signer.keyPem, 'base64');
    await expect(sns.receive(body({ ...m, Signature: sha1 }))).rejects.toThrow('signature does not match');
  });
});
