import { elksReport, elksSubmitVerdict, retryAfterMs, smsReportEventId, twilioReport, twilioSubmitVerdict } from './sms-status-codes';

describe('Twilio at submission', () => {
  const cases: [string, number, number | undefined, string, string | undefined][] = [
    // [what, HTTP status, Twilio code, verdict, status]
    ['21610 recipient unsubscribed', 400, 21610, 'rejected', 'opted_out'],
    ['21614 not a mobile number', 400, 21614, 'rejected', 'cannot_receive_sms'],
    ['21211 invalid To', 400, 21211, 'rejected', 'failed'],
    ['21408 region not enabled', 400, 21408, 'rejected', 'failed'],
    ['21612 unroutable pair', 400, 21612, 'rejected', 'failed'],
    ['an unknown 4xx code', 400, 21999, 'rejected', 'failed'],
    ['a 4xx without a code (proxy page)', 404, undefined, 'rejected', 'failed'],
    ['429 too many requests', 429, 20429, 'retry', undefined],
    ['500', 500, undefined, 'retry', undefined],
    ['503 with a code', 503, 20500, 'retry', undefined],
    ['401 bad credentials', 401, 20003, 'retry', undefined],
    ['403 forbidden', 403, 20403, 'retry', undefined],
  ];
  it.each(cases)('%s → %s %s', (_what, http, code, kind, status) => {
    const v = twilioSubmitVerdict(http, code, 'msg');
    expect(v.kind).toBe(kind);
    if (v.kind === 'rejected') expect(v.status).toBe(status);
  });

  it('marks the number not mobile only for 21614', () => {
    expect(twilioSubmitVerdict(400, 21614, 'x')).toMatchObject({ kind: 'rejected', markNotMobile: true });
    expect(twilioSubmitVerdict(400, 21211, 'x')).toMatchObject({ kind: 'rejected', markNotMobile: false });
    expect(twilioSubmitVerdict(400, 21610, 'x')).toMatchObject({ kind: 'rejected', markNotMobile: false });
  });

  it('names the code in the error and carries Retry-After on a retry', () => {
    expect(twilioSubmitVerdict(400, 21610, 'Attempt to send to unsubscribed recipient')).toMatchObject({
      error: 'twilio 21610: Attempt to send to unsubscribed recipient',
    });
    expect(twilioSubmitVerdict(429, 20429, 'Too Many Requests', '7')).toEqual({ kind: 'retry', error: 'twilio 429 20429: Too Many Requests', retryAfterMs: 7000 });
    expect(twilioSubmitVerdict(503, undefined, undefined)).toEqual({ kind: 'retry', error: 'twilio 503: unavailable', retryAfterMs: undefined });
  });
});

describe('Twilio reports (MessageStatus + ErrorCode)', () => {
  const cases: [string, string | undefined, string | null, boolean][] = [
    // [MessageStatus, ErrorCode, our status, mark not mobile]
    ['delivered', undefined, 'delivered', false],
    ['sent', undefined, 'sent', false],
    ['undelivered', '30003', 'undelivered', false],
    ['undelivered', '30005', 'undelivered', false],
    ['undelivered', '30006', 'undelivered', true],
    ['failed', '30003', 'undelivered', false],
    ['failed', '30005', 'undelivered', false],
    ['failed', '30006', 'undelivered', true],
    ['undelivered', undefined, 'undelivered', false],
    ['undelivered', '30007', 'undelivered', false],
    ['failed', '30008', 'failed', false],
    ['failed', undefined, 'failed', false],
    ['canceled', undefined, 'failed', false],
    ['accepted', undefined, null, false],
    ['queued', undefined, null, false],
    ['sending', undefined, null, false],
    ['scheduled', undefined, null, false],
    ['read', undefined, null, false],
    ['DELIVERED', undefined, 'delivered', false],
  ];
  it.each(cases)('%s / %s → %s (not mobile: %s)', (status, code, expected, notMobile) => {
    expect(twilioReport(status, code)).toMatchObject({ status: expected, markNotMobile: notMobile });
  });

  it('keeps the error code, and knows no other status', () => {
    expect(twilioReport('undelivered', '30006')?.error).toBe('twilio 30006');
    expect(twilioReport('failed', 30008)?.error).toBe('twilio 30008');
    expect(twilioReport('delivered', '')?.error).toBeNull();
    expect(twilioReport('teleported')).toBeUndefined();
    expect(twilioReport('')).toBeUndefined();
  });
});

describe('46elks at submission', () => {
  const cases: [string, number, string, string][] = [
    ['invalid to', 400, 'Invalid to number', 'rejected'],
    ['invalid from', 400, 'Invalid from', 'rejected'],
    ['missing message', 400, 'Missing key message', 'rejected'],
    ['no credit (account problem)', 403, 'Not enough credits', 'retry'],
    ['no credit as a 402', 402, 'Not enough credits to send message', 'retry'],
    ['bad credentials', 401, 'Authentication failed', 'retry'],
    ['forbidden', 403, 'Forbidden', 'retry'],
    ['rate limited', 429, 'Too many requests', 'retry'],
    ['outage', 503, '<html>Bad gateway</html>', 'retry'],
    ['server error with no body', 500, '', 'retry'],
  ];
  it.each(cases)('%s (%i %s) → %s', (_what, http, body, kind) => {
    expect(elksSubmitVerdict(http, body).kind).toBe(kind);
  });

  it('fails a per-message rejection, quoting the reason, and carries Retry-After', () => {
    expect(elksSubmitVerdict(400, 'Invalid to number\n')).toEqual({ kind: 'rejected', status: 'failed', error: '46elks 400: Invalid to number', markNotMobile: false });
    expect(elksSubmitVerdict(429, 'slow down', '2')).toEqual({ kind: 'retry', error: '46elks 429: slow down', retryAfterMs: 2000 });
    expect(elksSubmitVerdict(500, '')).toMatchObject({ error: '46elks 500: HTTP 500' });
  });
});

describe('46elks reports', () => {
  const cases: [string, string | null][] = [
    ['delivered', 'delivered'],
    ['failed', 'undelivered'],
    ['sent', 'sent'],
    ['created', null],
  ];
  it.each(cases)('%s → %s', (status, expected) => {
    expect(elksReport(status)).toMatchObject({ status: expected, markNotMobile: false });
  });
  it('knows no other status', () => {
    expect(elksReport('teleported')).toBeUndefined();
  });
});

describe('report event ids and Retry-After', () => {
  it('is the same for a callback and a poll of one state, whatever the case', () => {
    expect(smsReportEventId('SMabc', 'Delivered')).toBe('SMabc:delivered');
    expect(smsReportEventId('s1', 'failed')).not.toBe(smsReportEventId('s1', 'delivered'));
  });
  it('reads seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
