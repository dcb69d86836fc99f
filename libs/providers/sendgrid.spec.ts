import { createSign, generateKeyPairSync } from 'node:crypto';
import { sendgridPublicKey, sendgridReports, verifySendgridSignature } from './sendgrid';

describe('SendGrid signed event webhook', () => {
  const pair = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ours = pair();
  // As SendGrid shows it: base64 DER SubjectPublicKeyInfo, no PEM framing.
  const shown = ours.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const key = sendgridPublicKey(shown);
  const body = Buffer.from('[{"email":"a@example.com","event":"delivered","sg_event_id":"e1"}]\r\n');
  const sign = (privateKey = ours.privateKey, ts = '1700000000', raw: Buffer = body) => createSign('sha256').update(ts).update(raw).sign(privateKey).toString('base64');

  it('verifies a signature over timestamp + raw body', () => {
    expect(verifySendgridSignature(key, '1700000000', body, sign())).toBe(true);
  });

  it('reads the key as SendGrid shows it and as PEM; refuses a key that is not P-256', () => {
    const pem = ours.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(verifySendgridSignature(sendgridPublicKey(pem), '1700000000', body, sign())).toBe(true);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(() => sendgridPublicKey(p384)).toThrow('P-256');
  });

  it('rejects a forged signature, another key, another timestamp, an altered body and missing headers', () => {
    expect(verifySendgridSignature(key, '1700000000', body, sign(pair().privateKey))).toBe(false);
    expect(verifySendgridSignature(key, '1700000001', body, sign())).toBe(false);
    expect(verifySendgridSignature(key, '1700000000', Buffer.from(body.toString().replace('delivered', 'bounce')), sign())).toBe(false);
    expect(verifySendgridSignature(key, '1700000000', body, 'bm90IGEgc2lnbmF0dXJl')).toBe(false);
    expect(verifySendgridSignature(key, '1700000000', body, undefined)).toBe(false);
    expect(verifySendgridSignature(key, undefined, body, sign())).toBe(false);
    expect(verifySendgridSignature(key, '17e8', body, sign(ours.privateKey, '17e8'))).toBe(false);
  });
});

describe('sendgridReports', () => {
  const id = '01a206c3-2c69-7eb7-b016-fe6e521cc58c';
  const ev = (event: string, extra: Record<string, unknown> = {}) => ({
    email: 'anna@example.com',
    timestamp: 1700000000,
    event,
    sg_event_id: `sg-${event}`,
    sg_message_id: 'sgmsg.1',
    utskick_message_id: id.toUpperCase(),
    ...extra,
  });

  it.each([
    ['processed', {}, null, null],
    ['delivered', {}, 'delivered', null],
    ['deferred', { response: '451 4.2.0 try later', attempt: '1' }, null, null],
    ['bounce', { type: 'bounce', status: '5.1.1', reason: '550 5.1.1 no such user' }, 'bounced', 'hard_bounce'],
    ['bounce', { type: 'blocked', status: '5.7.1', reason: '550 5.7.1 policy' }, 'failed', null],
    ['bounce', { type: 'bounce', status: '5.2.2', reason: 'mailbox full' }, 'bounced', null],
    ['dropped', { reason: 'Bounced Address' }, 'failed', null],
    ['spamreport', {}, 'spam', 'complaint'],
    ['unsubscribe', {}, 'unsubscribed', 'unsubscribe'],
    ['group_unsubscribe', { asm_group_id: 1 }, 'unsubscribed', 'unsubscribe'],
    ['open', {}, null, null],
  ])('%s %j → %s, effect %s', (event, extra, status, effect) => {
    const [r] = sendgridReports([ev(event, extra)]);
    expect(r).toMatchObject({ messageId: id, status, eventType: event, source: 'sendgrid', providerEventId: `sg-${event}`, providerMessageId: 'sgmsg.1' });
    expect(r.addressEffect?.kind ?? null).toBe(effect);
    if (effect) expect(r.addressEffect!.source).toBe('sendgrid');
  });

  it('leaves out events without our id or an event id, unknown kinds and non-objects', () => {
    expect(
      sendgridReports([
        ev('delivered', { utskick_message_id: undefined }),
        ev('delivered', { utskick_message_id: 'not-a-uuid' }),
        ev('delivered', { sg_event_id: undefined }),
        ev('teleported'),
        null,
        'x',
      ]),
    ).toEqual([]);
    expect(sendgridReports({ not: 'an array' })).toEqual([]);
  });
});
