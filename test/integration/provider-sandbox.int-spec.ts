import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { sandboxSignature, twilioSignature, verpAddress } from '@utskick/providers';
import { SANDBOX_EMAIL, SANDBOX_SMS } from '../../apps/provider-sandbox/src/magic';
import { RunningSandbox, startSandbox } from '../../apps/provider-sandbox/src/start-sandbox';
import { RecordedRequest, RecordingServer, Reply } from '../support/recording-server';

const ACCOUNT = 'AC' + '0'.repeat(32);
const TOKEN = 'sandbox-test-token';
const SECRET = 'sandbox-webhook-secret';

type Received = RecordedRequest;

/** Stands in for status-ingest: records every POST; `failNext` answers with that status first. */
class Receiver extends RecordingServer {
  failNext: number[] = [];

  protected override reply(): Reply {
    return { status: this.failNext.shift() ?? 200 };
  }

  async waitFor(pred: (r: Received) => boolean, count = 1, timeoutMs = 5000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hits = this.requests.filter(pred);
      if (hits.length >= count) return hits;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} request(s), got ${hits.length}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

const receiver = new Receiver();
let sandbox: RunningSandbox;

const basic = (user: string, pass: string) => 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');
const callbackUrl = (messageId: string) => `${receiver.url}/webhooks/twilio/status/${messageId}`;

async function sendSms(fields: Record<string, string>, auth = basic(ACCOUNT, TOKEN), headers: Record<string, string> = {}) {
  const res = await fetch(`${sandbox.url}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const sms = (to: string, messageId = randomUUID()) => ({
  To: to,
  From: '+46700000000',
  Body: 'Hej från Utskick',
  StatusCallback: callbackUrl(messageId),
});

const stats = async () => (await (await fetch(`${sandbox.url}/sandbox/stats`)).json()) as Record<string, any>;
const postConfig = (body: unknown) =>
  fetch(`${sandbox.url}/sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

function verifyTwilio(r: Received): boolean {
  const params = Object.fromEntries(new URLSearchParams(r.body));
  return r.headers['x-twilio-signature'] === twilioSignature(TOKEN, receiver.url + r.path, params);
}

function mailer() {
  return nodemailer.createTransport({ host: '127.0.0.1', port: sandbox.smtpPort, secure: false, ignoreTLS: true });
}

beforeAll(async () => {
  await receiver.start();
  sandbox = await startSandbox({
    SANDBOX_AUTH_TOKEN: TOKEN,
    SANDBOX_WEBHOOK_SECRET: SECRET,
    STATUS_INGEST_URL: receiver.url,
    SANDBOX_LATENCY_MS: 0,
    SANDBOX_FAILURE_RATE: 0,
    SANDBOX_CALLBACK_DELAY_MS: 0,
    SANDBOX_SMS_CALLBACK_STATUSES: 'delivered',
  });
});

afterAll(async () => {
  await sandbox?.close();
  await receiver.stop();
});

beforeEach(async () => {
  const res = await fetch(`${sandbox.url}/sandbox/reset`, { method: 'POST' });
  expect(res.status).toBe(204);
  receiver.requests.length = 0;
  receiver.failNext = [];
});

describe('provider sandbox: SMS (Twilio API)', () => {
  it('answers 401 with Twilio error 20003 on a wrong or missing Basic auth', async () => {
    const wrong = await sendSms(sms('+46701234567'), basic(ACCOUNT, 'wrong-token'));
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
    const otherAccount = await sendSms(sms('+46701234567'), basic('AC' + '1'.repeat(32), TOKEN));
    expect(otherAccount.status).toBe(401);
    const none = await sendSms(sms('+46701234567'), '');
    expect(none.status).toBe(401);
    expect((await stats()).sms.accepted).toBe(0);
  });

  it('accepts a send with a Twilio resource, calls back signed and counts it', async () => {
    const messageId = randomUUID();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const { status, body } = await sendSms(sms('+46701234567', messageId), undefined, { traceparent });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      account_sid: ACCOUNT,
      to: '+46701234567',
      from: '+46700000000',
      body: 'Hej från Utskick',
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      error_code: null,
      error_message: null,
    });
    expect(body.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(body.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages/${body.sid}.json`);
    expect(body.date_created).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);

    const [cb] = await receiver.waitFor((r) => r.path === `/webhooks/twilio/status/${messageId}`);
    expect(cb.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(verifyTwilio(cb)).toBe(true);
    expect(Object.fromEntries(new URLSearchParams(cb.body))).toEqual({
      MessageSid: body.sid,
      SmsSid: body.sid,
      AccountSid: ACCOUNT,
      From: '+46700000000',
      To: '+46701234567',
      MessageStatus: 'delivered',
      SmsStatus: 'delivered',
      ApiVersion: '2010-04-01',
    });
    expect(await stats()).toEqual({ sms: { accepted: 1, unique: 1 }, email: { accepted: 0, unique: 0 } });

    const fetched = await fetch(`${sandbox.url}/2010-04-01/Accounts/${ACCOUNT}/Messages/${body.sid}.json`, {
      headers: { authorization: basic(ACCOUNT, TOKEN) },
    });
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toMatchObject({ sid: body.sid, status: 'delivered' });

    const list = (await (await fetch(`${sandbox.url}/sandbox/sms?to=%2B46701234567&limit=5`)).json()) as any;
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ sid: body.sid, messageId, traceparent, status: 'delivered' });
  });

  it('counts a message id sent twice as accepted 2, unique 1', async () => {
    const messageId = randomUUID();
    expect((await sendSms(sms('+46701234567', messageId))).status).toBe(201);
    expect((await sendSms(sms('+46701234567', messageId))).status).toBe(201);
    expect((await stats()).sms).toEqual({ accepted: 2, unique: 1 });
  });

  it('rejects the alwaysFail number with 400 / 21211 and does not count it', async () => {
    const { status, body } = await sendSms(sms(SANDBOX_SMS.alwaysFail));
    expect(status).toBe(400);
    expect(body).toMatchObject({
      code: 21211,
      message: `The 'To' number ${SANDBOX_SMS.alwaysFail} is not a valid phone number.`,
      status: 400,
    });
    expect((await stats()).sms).toEqual({ accepted: 0, unique: 0 });
  });

  it('validates To and Body with Twilio codes 21604 and 21602', async () => {
    const noTo = await sendSms({ From: '+46700000000', Body: 'x' });
    expect([noTo.status, noTo.body.code]).toEqual([400, 21604]);
    const noBody = await sendSms({ To: '+46701234567', From: '+46700000000' });
    expect([noBody.status, noBody.body.code]).toEqual([400, 21602]);
  });

  it('calls back undelivered / 30003 for the unreachable number and failed / 30008 for failsLater', async () => {
    const unreachable = randomUUID();
    const failsLater = randomUUID();
    expect((await sendSms(sms(SANDBOX_SMS.unreachable, unreachable))).status).toBe(201);
    expect((await sendSms(sms(SANDBOX_SMS.failsLater, failsLater))).status).toBe(201);

    const [u] = await receiver.waitFor((r) => r.path.endsWith(unreachable));
    const [f] = await receiver.waitFor((r) => r.path.endsWith(failsLater));
    expect(verifyTwilio(u) && verifyTwilio(f)).toBe(true);
    expect(Object.fromEntries(new URLSearchParams(u.body))).toMatchObject({ MessageStatus: 'undelivered', ErrorCode: '30003' });
    expect(Object.fromEntries(new URLSearchParams(f.body))).toMatchObject({ MessageStatus: 'failed', ErrorCode: '30008' });
    expect((await stats()).sms).toEqual({ accepted: 2, unique: 2 });
  });

  it('sends every configured status in order, the magic failure replacing the last', async () => {
    const ok = randomUUID();
    const bad = randomUUID();
    expect((await postConfig({ smsCallbackStatuses: ['sent', 'delivered'] })).status).toBe(200);
    await sendSms(sms('+46701234567', ok));
    await sendSms(sms(SANDBOX_SMS.unreachable, bad));
    const okCalls = await receiver.waitFor((r) => r.path.endsWith(ok), 2);
    const badCalls = await receiver.waitFor((r) => r.path.endsWith(bad), 2);
    const statusOf = (r: Received) => new URLSearchParams(r.body).get('MessageStatus');
    expect(okCalls.map(statusOf)).toEqual(['sent', 'delivered']);
    expect(badCalls.map(statusOf)).toEqual(['sent', 'undelivered']);
    expect(new URLSearchParams(badCalls[0].body).get('ErrorCode')).toBeNull();
  });

  it('retries a callback answered 5xx but not one answered 4xx', async () => {
    const retried = randomUUID();
    receiver.failNext = [503];
    await sendSms(sms('+46701234567', retried));
    const calls = await receiver.waitFor((r) => r.path.endsWith(retried), 2);
    expect(calls).toHaveLength(2);
    expect(calls[0].body).toBe(calls[1].body);

    const refused = randomUUID();
    receiver.failNext = [400];
    await sendSms(sms('+46701234567', refused));
    await receiver.waitFor((r) => r.path.endsWith(refused));
    await new Promise((r) => setTimeout(r, 400)); // longer than the first backoffs
    expect(receiver.requests.filter((r) => r.path.endsWith(refused))).toHaveLength(1);
  });

  it('answers 404 / 20404 for an unknown message sid', async () => {
    const res = await fetch(`${sandbox.url}/2010-04-01/Accounts/${ACCOUNT}/Messages/SM${'f'.repeat(32)}.json`, {
      headers: { authorization: basic(ACCOUNT, TOKEN) },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 20404, status: 404 });
  });
});

describe('provider sandbox: SMS (46elks API)', () => {
  const deliveryUrl = (messageId: string) => `${receiver.url}/webhooks/46elks/t1/token/delivery/${messageId}`;
  const elks = (to: string, messageId = randomUUID(), extra: Record<string, string> = {}) => ({
    from: 'Skolan',
    to,
    message: 'Hej från Utskick',
    whendelivered: deliveryUrl(messageId),
    ...extra,
  });
  async function sendElks(fields: Record<string, string>, auth = basic('sandbox', TOKEN)) {
    const res = await fetch(`${sandbox.url}/a1/sms`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    const text = await res.text();
    return { status: res.status, text, json: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null };
  }
  const getElks = async (id: string, auth = basic('sandbox', TOKEN)) => {
    const res = await fetch(`${sandbox.url}/a1/sms/${id}`, { headers: { authorization: auth } });
    return { status: res.status, body: res.status === 200 ? await res.json() : await res.text() };
  };
  const form = (r: Received) => Object.fromEntries(new URLSearchParams(r.body));

  it('answers 401 to a wrong user or token and accepts nothing', async () => {
    expect((await sendElks(elks('+46701234567'), basic('sandbox', 'wrong'))).status).toBe(401);
    expect((await sendElks(elks('+46701234567'), basic('u0123', TOKEN))).status).toBe(401);
    expect((await sendElks(elks('+46701234567'), ''))).toMatchObject({ status: 401 });
    expect((await stats()).sms.accepted).toBe(0);
  });

  it('accepts a send with a 46elks answer, counts it with the Twilio sends, logs it and reports delivery to whendelivered', async () => {
    const messageId = randomUUID();
    const res = await sendElks(elks('+46701234567', messageId, { message: 'a'.repeat(161) }));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'created', direction: 'outgoing', from: 'Skolan', to: '+46701234567', parts: 2, cost: 7000 });
    expect(res.json.id).toMatch(/^s[0-9a-f]{32}$/);
    const [cb] = await receiver.waitFor((r) => r.path === `/webhooks/46elks/t1/token/delivery/${messageId}`);
    expect(cb.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(form(cb)).toEqual({ id: res.json.id, status: 'delivered', delivered: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/) });
    await sendSms(sms('+46701234568'));
    expect((await stats()).sms).toEqual({ accepted: 2, unique: 2 });
    expect(await getElks(res.json.id)).toMatchObject({ status: 200, body: { id: res.json.id, status: 'delivered', parts: 2, to: '+46701234567' } });
    const list = (await (await fetch(`${sandbox.url}/sandbox/sms?to=%2B46701234567`)).json()) as any;
    expect(list.items).toEqual([expect.objectContaining({ provider: '46elks', sid: res.json.id, messageId, status: 'delivered' })]);
  });

  it('refuses bad input with 46elks plain-text reasons', async () => {
    const cases: [Record<string, string>, string][] = [
      [elks('0701234567'), 'Invalid to number'],
      [elks(SANDBOX_SMS.alwaysFail), 'Invalid to number'],
      [elks('+46701234567', undefined, { from: 'AB' }), 'Invalid from'],
      [elks('+46701234567', undefined, { from: 'TwelveLetter' }), 'Invalid from'],
      [elks('+46701234567', undefined, { from: 'Skol-an' }), 'Invalid from'],
      [elks('+46701234567', undefined, { message: '' }), 'Missing key message'],
    ];
    for (const [fields, reason] of cases) expect(await sendElks(fields)).toMatchObject({ status: 400, text: reason });
    expect((await sendElks(elks('+46701234567', undefined, { from: '+46700000000' }))).status).toBe(200);
    expect((await stats()).sms.accepted).toBe(1);
  });

  it('reports sent then failed for a magic failure, one callback per 46elks status', async () => {
    const bad = randomUUID();
    const ok = randomUUID();
    await postConfig({ smsCallbackStatuses: ['queued', 'sent', 'delivered'] });
    await sendElks(elks(SANDBOX_SMS.unreachable, bad));
    await sendElks(elks('+46701234567', ok));
    const badCalls = await receiver.waitFor((r) => r.path.endsWith(bad), 2);
    const okCalls = await receiver.waitFor((r) => r.path.endsWith(ok), 2);
    expect(badCalls.map((r) => form(r).status)).toEqual(['sent', 'failed']);
    expect(okCalls.map((r) => form(r).status)).toEqual(['sent', 'delivered']);
  });

  it('with callbacks off sends none, yet the message reaches its final state for GET', async () => {
    await postConfig({ smsCallbacks: false });
    const ok = await sendElks(elks('+46701234567'));
    const bad = await sendElks(elks(SANDBOX_SMS.landline));
    const twilio = await sendSms(sms(SANDBOX_SMS.landline));
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.requests).toEqual([]);
    expect((await getElks(ok.json.id)).body).toMatchObject({ status: 'delivered' });
    expect((await getElks(bad.json.id)).body).toMatchObject({ status: 'failed' });
    const fetched = await fetch(`${sandbox.url}/2010-04-01/Accounts/${ACCOUNT}/Messages/${twilio.body.sid}.json`, { headers: { authorization: basic(ACCOUNT, TOKEN) } });
    expect(await fetched.json()).toMatchObject({ status: 'undelivered', error_code: 30006 });
  });

  it('answers 404 for an unknown id or a Twilio sid', async () => {
    const twilio = await sendSms(sms('+46701234567'));
    expect((await getElks('s' + 'f'.repeat(32))).status).toBe(404);
    expect((await getElks(twilio.body.sid)).status).toBe(404);
    expect((await getElks('s' + 'f'.repeat(32), basic('sandbox', 'nope'))).status).toBe(401);
  });
});

describe('provider sandbox: Twilio magic numbers of issue 3', () => {
  it('rejects notMobile at submission with 21614 and reports landline as undelivered / 30006', async () => {
    const rejected = await sendSms(sms(SANDBOX_SMS.notMobile));
    expect(rejected).toMatchObject({ status: 400, body: { code: 21614 } });
    const landline = randomUUID();
    expect((await sendSms(sms(SANDBOX_SMS.landline, landline))).status).toBe(201);
    const [cb] = await receiver.waitFor((r) => r.path.endsWith(landline));
    expect(verifyTwilio(cb)).toBe(true);
    expect(Object.fromEntries(new URLSearchParams(cb.body))).toMatchObject({ MessageStatus: 'undelivered', ErrorCode: '30006' });
  });
});

describe('provider sandbox: control endpoints', () => {
  it('fails every send with 503 / 20500 at failureRate 1, counting nothing', async () => {
    const cfg = await postConfig({ failureRate: 1 });
    expect(cfg.status).toBe(200);
    expect(await cfg.json()).toMatchObject({ failureRate: 1, latencyMs: 0 });
    const { status, body } = await sendSms(sms('+46701234567'));
    expect(status).toBe(503);
    expect(body).toMatchObject({ code: 20500, message: 'Service unavailable', status: 503 });
    expect((await stats()).sms.accepted).toBe(0);
    await expect(mailer().sendMail({ from: 'a@b.test', to: 'x@example.com', text: 'hi' })).rejects.toMatchObject({
      responseCode: 421,
    });
    expect((await stats()).email.accepted).toBe(0);
  });

  it('refuses invalid config with 400', async () => {
    expect((await postConfig({ failureRate: 2 })).status).toBe(400);
    expect((await postConfig({ latencyMs: -1 })).status).toBe(400);
    expect((await postConfig({ smsCallbackStatuses: ['bogus'] })).status).toBe(400);
    expect((await postConfig({ nope: 1 })).status).toBe(400);
    expect((await (await fetch(`${sandbox.url}/sandbox/config`)).json())).toMatchObject({ failureRate: 0 });
  });

  it('applies latency before answering', async () => {
    await postConfig({ latencyMs: 150 });
    const t0 = Date.now();
    expect((await sendSms(sms('+46701234567'))).status).toBe(201);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('reset zeroes stats and restores the configuration from the environment', async () => {
    await sendSms(sms('+46701234567'));
    await postConfig({ failureRate: 1, latencyMs: 5 });
    expect((await stats()).sms.accepted).toBe(1);
    expect((await fetch(`${sandbox.url}/sandbox/reset`, { method: 'POST' })).status).toBe(204);
    expect(await stats()).toEqual({ sms: { accepted: 0, unique: 0 }, email: { accepted: 0, unique: 0 } });
    expect(await (await fetch(`${sandbox.url}/sandbox/config`)).json()).toEqual({
      latencyMs: 0,
      failureRate: 0,
      callbackDelayMs: 0,
      smsCallbackStatuses: ['delivered'],
      smsCallbacks: true,
    });
    expect(((await (await fetch(`${sandbox.url}/sandbox/sms`)).json()) as any).items).toEqual([]);
  });
});

describe('provider sandbox: e-mail (SMTP)', () => {
  const verp = (id: string) => verpAddress('verp-secret-0123456789', 'b.test', id);

  it('accepts a VERP mail, counts it and posts a signed event batch', async () => {
    const messageId = randomUUID();
    const from = verp(messageId);
    expect(from).toMatch(/^bounces\+[0-9a-f-]{36}\.[0-9a-f]{16}@b\.test$/);
    const info = await mailer().sendMail({
      envelope: { from, to: ['alice@example.com'] },
      from: 'Utskick <noreply@utskick.test>',
      to: 'alice@example.com',
      subject: 'Hello',
      text: 'Body text',
    });
    expect(info.accepted).toEqual(['alice@example.com']);
    expect(await stats()).toEqual({ sms: { accepted: 0, unique: 0 }, email: { accepted: 1, unique: 1 } });

    const [batch] = await receiver.waitFor((r) => r.path === '/webhooks/sandbox/email');
    expect(batch.headers['content-type']).toContain('application/json');
    const ts = batch.headers['x-sandbox-timestamp'] as string;
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(10);
    expect(batch.headers['x-sandbox-signature']).toBe(sandboxSignature(SECRET, ts, batch.body));
    const events = JSON.parse(batch.body);
    expect(events).toEqual([
      { eventId: expect.stringMatching(/^[0-9a-f-]{36}$/), messageId, event: 'delivered', email: 'alice@example.com', timestamp: expect.any(Number) },
    ]);
  });

  it('reports bounce and complaint recipients, batching events of several mails', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const t = mailer();
    await t.sendMail({ envelope: { from: verp(a), to: [SANDBOX_EMAIL.bounce] }, from: 'x@b.test', to: SANDBOX_EMAIL.bounce, text: '1' });
    await t.sendMail({ envelope: { from: verp(b), to: [SANDBOX_EMAIL.complaint] }, from: 'x@b.test', to: SANDBOX_EMAIL.complaint, text: '2' });
    await receiver.waitFor(() => true);
    const deadline = Date.now() + 5000;
    let events: any[] = [];
    while (events.length < 3 && Date.now() < deadline) {
      events = receiver.requests.flatMap((r) => JSON.parse(r.body));
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(events.map((e) => [e.messageId, e.event]).sort()).toEqual(
      [[a, 'bounce'], [b, 'complaint'], [b, 'delivered']].sort(),
    );
    expect(events.find((e) => e.event === 'bounce')).toMatchObject({ email: SANDBOX_EMAIL.bounce, status: '5.1.1', bounceType: 'hard' });
  });

  it('answers RCPT of reject@ with 550 5.1.1', async () => {
    const err = await mailer()
      .sendMail({ envelope: { from: verp(randomUUID()), to: [SANDBOX_EMAIL.reject] }, from: 'x@b.test', to: SANDBOX_EMAIL.reject, text: 'x' })
      .catch((e: unknown) => e as { responseCode?: number; response?: string });
    expect(err).toMatchObject({ responseCode: 550 });
    expect((err as { response?: string }).response).toContain('5.1.1 mailbox does not exist');
    expect((await stats()).email.accepted).toBe(0);
  });

  const rcptError = (to: string, id = randomUUID()) =>
    mailer()
      .sendMail({ envelope: { from: verp(id), to: [to] }, from: 'x@b.test', to, text: 'x' })
      .then(() => null)
      .catch((e: { responseCode?: number; response?: string }) => ({ code: e.responseCode, response: e.response }));

  it('policy@ is refused 550 5.7.1 at RCPT; always4xx@ is refused 451 every time', async () => {
    expect(await rcptError(SANDBOX_EMAIL.policy)).toMatchObject({ code: 550, response: expect.stringContaining('5.7.1') });
    const id = randomUUID();
    for (let i = 0; i < 4; i++) expect(await rcptError(SANDBOX_EMAIL.always4xx, id)).toMatchObject({ code: 451, response: expect.stringContaining('4.2.0') });
    expect((await stats()).email.accepted).toBe(0);
  });

  it('softbounce@ refuses the first tries of each message with 451, then takes and delivers it', async () => {
    const id = randomUUID();
    expect(await rcptError(SANDBOX_EMAIL.softbounce, id)).toMatchObject({ code: 451 });
    expect(await rcptError(SANDBOX_EMAIL.softbounce, id)).toMatchObject({ code: 451 });
    expect(await rcptError(SANDBOX_EMAIL.softbounce, id)).toBeNull();
    // Another message starts over.
    expect(await rcptError(SANDBOX_EMAIL.softbounce)).toMatchObject({ code: 451 });
    const [batch] = await receiver.waitFor((r) => r.path === '/webhooks/sandbox/email');
    expect(JSON.parse(batch.body)).toMatchObject([{ messageId: id, event: 'delivered', email: SANDBOX_EMAIL.softbounce }]);
  });

  it('full@ is taken, then bounces 5.2.2; deferral@ is taken, deferred by the provider, then delivered', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    expect(await rcptError(SANDBOX_EMAIL.full, a)).toBeNull();
    expect(await rcptError(SANDBOX_EMAIL.deferral, b)).toBeNull();
    const deadline = Date.now() + 5000;
    let events: any[] = [];
    while (events.length < 3 && Date.now() < deadline) {
      events = receiver.requests.flatMap((r) => JSON.parse(r.body));
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(events.map((e) => [e.messageId, e.event])).toEqual([[a, 'bounce'], [b, 'deferred'], [b, 'delivered']]);
    expect(events[0]).toMatchObject({ status: '5.2.2', bounceType: 'soft' });
  });

  it('keeps the raw RFC 5322 text for /sandbox/emails', async () => {
    const messageId = randomUUID();
    const from = verp(messageId);
    await mailer().sendMail({
      envelope: { from, to: ['carol@example.com', 'dave@example.com'] },
      from: 'noreply@utskick.test',
      to: 'carol@example.com',
      subject: 'Raw check',
      text: 'unique-body-marker',
      headers: { 'X-Utskick-Message-Id': messageId },
    });
    const res = await fetch(`${sandbox.url}/sandbox/emails?to=dave@example.com&limit=10`);
    const { items } = (await res.json()) as { items: any[] };
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ messageId, from, to: ['carol@example.com', 'dave@example.com'] });
    expect(items[0].raw).toMatch(/^Subject: Raw check\r?$/m);
    expect(items[0].raw).toMatch(new RegExp(`^X-Utskick-Message-Id: ${messageId}\\r?$`, 'im'));
    expect(items[0].raw).toContain('unique-body-marker');
    const none = (await (await fetch(`${sandbox.url}/sandbox/emails?to=nobody@example.com`)).json()) as { items: unknown[] };
    expect(none.items).toEqual([]);
  });
});
