import { classifyEmailFeedback, EmailFeedback, enhancedStatusCode } from './email-feedback';

describe('classifyEmailFeedback: status and address effect of each report', () => {
  const bounce = (statusCode: string | null, label: string | null = null, subType: string | null = null, diagnostic: string | null = null): EmailFeedback => ({
    kind: 'bounce',
    statusCode,
    label,
    subType,
    diagnostic,
  });
  const cases: [string, EmailFeedback, string | null, string | null, string | null][] = [
    // [what, report, status, effect, detail]
    ['5.1.1 no such mailbox', bounce('5.1.1'), 'bounced', 'hard_bounce', '5.1.1'],
    ['5.1.2 bad destination domain', bounce('5.1.2'), 'bounced', 'hard_bounce', '5.1.2'],
    ['5.1.3 bad address syntax', bounce('5.1.3'), 'bounced', 'hard_bounce', '5.1.3'],
    ['5.1.10 null MX', bounce('5.1.10'), 'bounced', 'hard_bounce', '5.1.10'],
    ['SES Permanent/General without a code', bounce(null, 'Permanent', 'General'), 'bounced', 'hard_bounce', 'Permanent/General'],
    ['SES Permanent/General with generic 5.0.0', bounce('5.0.0', 'Permanent', 'General'), 'bounced', 'hard_bounce', 'Permanent/General'],
    ['SES Permanent/NoEmail', bounce(null, 'Permanent', 'NoEmail'), 'bounced', 'hard_bounce', 'Permanent/NoEmail'],
    // No enhanced code, but the reply says the mailbox is full: that is no proof of a bad address.
    ['SES Permanent/General, basic 552 storage exceeded', bounce(null, 'Permanent', 'General', 'smtp; 552 Requested mail action aborted: exceeded storage allocation'), 'bounced', null, 'Permanent/General'],
    ['SES Permanent/General, "mailbox is full" in the text', bounce('5.0.0', 'Permanent', 'General', 'smtp; 550 Mailbox is full'), 'bounced', null, 'Permanent/General'],
    ['SendGrid Invalid Address over quota', bounce('5.0.0', 'bounce', 'Invalid Address', '550 user over quota'), 'bounced', null, 'bounce/Invalid Address'],
    ['code wins: SES Permanent/General carrying 5.7.1', bounce('5.7.1', 'Permanent', 'General'), 'failed', null, '5.7.1'],
    ['code wins: SES Permanent/General carrying 5.2.2', bounce('5.2.2', 'Permanent', 'General'), 'bounced', null, '5.2.2'],
    ['code wins: SES Transient carrying 5.1.1', bounce('5.1.1', 'Transient', 'General'), 'bounced', 'hard_bounce', '5.1.1'],
    ['5.7.1 policy rejection', bounce('5.7.1'), 'failed', null, '5.7.1'],
    ['5.7.26 DMARC rejection', bounce('5.7.26'), 'failed', null, '5.7.26'],
    ['4.7.1 greylisting given up', bounce('4.7.1'), 'failed', null, '4.7.1'],
    ['5.1.7 bad sender address', bounce('5.1.7'), 'failed', null, '5.1.7'],
    ['5.1.8 bad sender domain', bounce('5.1.8'), 'failed', null, '5.1.8'],
    ['5.2.2 mailbox full', bounce('5.2.2'), 'bounced', null, '5.2.2'],
    ['4.2.2 mailbox full (given up)', bounce('4.2.2'), 'bounced', null, '4.2.2'],
    ['5.1.6 mailbox moved: bounced, not proof enough', bounce('5.1.6'), 'bounced', null, '5.1.6'],
    ['4.4.1 no answer (given up)', bounce('4.4.1'), 'bounced', null, '4.4.1'],
    ['SES Transient/MailboxFull', bounce(null, 'Transient', 'MailboxFull'), 'bounced', null, 'Transient/MailboxFull'],
    ['SES Transient/ContentRejected', bounce(null, 'Transient', 'ContentRejected'), 'failed', null, 'Transient/ContentRejected'],
    ['SES Permanent/Suppressed (SES list, not our proof)', bounce(null, 'Permanent', 'Suppressed'), 'failed', null, 'Permanent/Suppressed'],
    ['SES Undetermined', bounce(null, 'Undetermined', 'Undetermined'), 'bounced', null, 'Undetermined/Undetermined'],
    ['SendGrid bounce: code in the reason', bounce('5.0.0', 'bounce', null, '550 5.1.1 The email account does not exist'), 'bounced', 'hard_bounce', '5.1.1'],
    ['SendGrid bounce classified Invalid Address', bounce('5.0.0', 'bounce', 'Invalid Address'), 'bounced', 'hard_bounce', 'bounce/Invalid Address'],
    ['SendGrid bounce classified Reputation', bounce('5.0.0', 'bounce', 'Reputation'), 'bounced', null, 'bounce/Reputation'],
    ['SendGrid blocked', bounce('4.0.0', 'blocked'), 'failed', null, 'blocked'],
    ['DSN failed with a diagnostic only', bounce(null, 'failed', null, 'smtp; 550 5.1.1 <x@y.test>: Recipient address rejected'), 'bounced', 'hard_bounce', '5.1.1'],
    ['delivered', { kind: 'delivered' }, 'delivered', null, null],
    ['provider deferred: event row only', { kind: 'deferred' }, null, null, null],
    ['provider processed: event row only', { kind: 'processed' }, null, null, null],
    ['opened: event row only', { kind: 'opened' }, null, null, null],
    ['dropped', { kind: 'dropped', reason: 'Bounced Address' }, 'failed', null, null],
    ['complaint (abuse)', { kind: 'complaint', feedbackType: 'abuse' }, 'spam', 'complaint', 'abuse'],
    ['complaint without a type', { kind: 'complaint' }, 'spam', 'complaint', null],
    ['feedback saying not-spam', { kind: 'complaint', feedbackType: 'not-spam' }, null, null, null],
    ['provider unsubscribe', { kind: 'unsubscribe' }, 'unsubscribed', 'unsubscribe', null],
  ];

  it.each(cases)('%s → %s %s', (_what, report, status, effect, detail) => {
    const v = classifyEmailFeedback(report);
    expect(v.status).toBe(status);
    expect(v.effect?.kind ?? null).toBe(effect);
    if (v.effect) expect(v.effect.detail).toBe(detail);
    // A bounce names what it rests on in the message's error either way.
    if (report.kind === 'bounce') expect(v.error).toContain(`bounce ${detail}`);
  });
});

describe('enhancedStatusCode', () => {
  it.each([
    ['5.1.1', '5.1.1'],
    ['smtp; 550 5.1.1 <a@b.test>: Recipient address rejected', '5.1.1'],
    ['550-5.1.1 The email account that you tried to reach does not exist', '5.1.1'],
    ['5.01.010', '5.1.10'],
    ['452 4.2.2 mailbox full.', '4.2.2'],
    ['connect to 10.5.1.1 failed', null],
    ['550 user unknown', null],
    ['', null],
    [null, null],
  ])('%s → %s', (text, code) => {
    expect(enhancedStatusCode(text)).toBe(code);
  });
});
