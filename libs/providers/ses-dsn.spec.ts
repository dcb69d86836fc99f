import { dsnReport, parseDeliveryStatus } from './dsn';
import { sesReport } from './ses';

const ID = '01a206c3-2c69-7eb7-b016-fe6e521cc58c';

describe('sesReport', () => {
  const mail = (extra: Record<string, unknown> = {}) => ({
    messageId: '0100018c-ses-id',
    destination: ['anna@example.com'],
    tags: { utskick_message_id: [ID], 'ses:configuration-set': ['x'] },
    ...extra,
  });
  const note = (n: Record<string, unknown>) => JSON.stringify({ mail: mail(), ...n });
  const bounce = (bounceType: string, bounceSubType: string, status?: string, diagnosticCode?: string) =>
    note({ notificationType: 'Bounce', bounce: { bounceType, bounceSubType, bouncedRecipients: [{ emailAddress: 'anna@example.com', status, diagnosticCode }] } });

  it.each([
    ['Permanent/General 5.1.1', bounce('Permanent', 'General', '5.1.1', 'smtp; 550 5.1.1 user unknown'), 'bounced', 'hard_bounce', '5.1.1'],
    ['Permanent/NoEmail without a code', bounce('Permanent', 'NoEmail'), 'bounced', 'hard_bounce', 'Permanent/NoEmail'],
    ['Permanent/General carrying 5.7.1', bounce('Permanent', 'General', '5.7.1', 'smtp; 550 5.7.1 blocked by policy'), 'failed', null, null],
    ['Transient/MailboxFull 4.2.2', bounce('Transient', 'MailboxFull', '4.2.2'), 'bounced', null, null],
    ['Undetermined', bounce('Undetermined', 'Undetermined'), 'bounced', null, null],
    ['Complaint', note({ notificationType: 'Complaint', complaint: { complaintFeedbackType: 'abuse', complainedRecipients: [{ emailAddress: 'anna@example.com' }] } }), 'spam', 'complaint', 'abuse'],
    ['Delivery', note({ notificationType: 'Delivery', delivery: { recipients: ['anna@example.com'] } }), 'delivered', null, null],
    ['event publishing: DeliveryDelay', note({ eventType: 'DeliveryDelay', deliveryDelay: {} }), null, null, null],
    ['event publishing: Bounce', JSON.stringify({ eventType: 'Bounce', mail: mail(), bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ status: '5.1.1' }] } }), 'bounced', 'hard_bounce', '5.1.1'],
  ])('%s → %s, effect %s', (_what, message, status, effect, detail) => {
    const r = sesReport('sns-1', message)!;
    expect(r).toMatchObject({ messageId: ID, status, source: 'ses', providerEventId: 'sns-1', providerMessageId: '0100018c-ses-id' });
    expect(r.addressEffect ?? null).toEqual(effect ? { kind: effect, source: 'ses', detail } : null);
  });

  it('takes our id from the X-Utskick-Message-Id header when the tag is missing', () => {
    const message = JSON.stringify({
      notificationType: 'Delivery',
      mail: { messageId: 'm', headers: [{ name: 'From', value: 'x' }, { name: 'X-Utskick-Message-Id', value: ID.toUpperCase() }] },
    });
    expect(sesReport('sns-2', message)).toMatchObject({ messageId: ID, status: 'delivered' });
  });

  it('is null without our id, for an unknown type, or for text that is not JSON', () => {
    expect(sesReport('s', JSON.stringify({ notificationType: 'Delivery', mail: { messageId: 'm', tags: {} } }))).toBeNull();
    expect(sesReport('s', note({ notificationType: 'Teleport' }))).toBeNull();
    expect(sesReport('s', 'Successfully validated SNS topic for Amazon SES event publishing.')).toBeNull();
  });
});

describe('RFC 3464 delivery status notifications', () => {
  const dsn = (action: string, status: string, diagnostic: string) =>
    [
      'From: MAILER-DAEMON@mx.example.net',
      `To: bounces+${ID}.0123456789abcdef@bounces.utskick.test`,
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      '',
      '--B',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '',
      '--B',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      'Final-Recipient: rfc822; anna@example.com',
      'Original-Recipient: rfc822;Anna@Example.com',
      `Action: ${action}`,
      `Status: ${status}`,
      `Diagnostic-Code: smtp; ${diagnostic.slice(0, 12)}`,
      ` ${diagnostic.slice(12)}`,
      '',
      '--B',
      'Content-Type: message/rfc822',
      '',
      'From: x@skolan.test',
      'Subject: Hej',
      '',
      'Hej',
      '--B--',
      '',
    ].join('\r\n');

  it('parses the per-recipient fields, unfolding continued lines', () => {
    const [s] = parseDeliveryStatus('Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; a@b.test\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550\n  5.1.1 no user\n');
    expect(s).toEqual({ action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 no user', finalRecipient: 'a@b.test', originalRecipient: null });
  });

  it.each([
    ['failed', '5.1.1', '550 5.1.1 <anna@example.com>: Recipient address rejected', 'bounced', 'hard_bounce'],
    ['failed', '5.7.1', '550 5.7.1 Message rejected by policy', 'failed', null],
    ['failed', '5.2.2', '552 5.2.2 Mailbox full', 'bounced', null],
    ['delayed', '4.4.7', '451 4.4.7 still trying', null, null],
    ['delivered', '2.0.0', '250 2.0.0 ok', 'delivered', null],
  ])('Action %s Status %s → %s, effect %s', async (action, status, diagnostic, expected, effect) => {
    const r = (await dsnReport(ID, dsn(action, status, diagnostic)))!;
    expect(r).toMatchObject({ messageId: ID, status: expected, source: 'dsn', eventType: `dsn_${action}` });
    expect(r.addressEffect?.kind ?? null).toBe(effect);
    expect(r.providerEventId).toMatch(new RegExp(`^dsn:${ID}:${action}:${status.replace(/\./g, '\\.')}:[0-9a-f]{16}$`));
  });

  it('the same report twice has one event id; another status of the message another', async () => {
    const a = await dsnReport(ID, dsn('failed', '5.1.1', '550 5.1.1 no such user here'));
    const b = await dsnReport(ID, dsn('failed', '5.1.1', '550 5.1.1 no such user here'));
    const c = await dsnReport(ID, dsn('failed', '5.2.2', '552 5.2.2 mailbox full now'));
    expect(a!.providerEventId).toBe(b!.providerEventId);
    expect(c!.providerEventId).not.toBe(a!.providerEventId);
  });

  it('keeps its event id short and storable whatever the Status field holds (a NUL, or kilobytes of it)', async () => {
    const r = (await dsnReport(ID, dsn('failed', `5.1.1\u0000${'x'.repeat(5000)}`, '550 5.1.1 no such user')))!;
    expect(r.providerEventId).not.toContain('\u0000');
    expect(r.providerEventId.length).toBeLessThan(200);
  });

  it('is null for mail without a delivery-status part', async () => {
    expect(await dsnReport(ID, 'From: a@b.test\r\nSubject: Out of office\r\n\r\nI am away.\r\n')).toBeNull();
  });
});
