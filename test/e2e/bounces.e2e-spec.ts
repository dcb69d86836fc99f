import { createSign, generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SANDBOX_EMAIL } from '../../apps/provider-sandbox/src/magic';
import { SES_TOPIC, snsSigner, SnsSigner } from '../support/sns-signer';
import { TestCluster } from '../support/test-cluster';

/**
 * Bounces and complaints end to end: reports from SES (via SNS), SendGrid and raw RFC 3464 mail
 * reach status-ingest authenticated, move messages, and block proven-bad addresses for every
 * tenant; soft bounces on our own SMTP hop wait and retry within their window.
 */
describe('bounces and complaints', () => {
  let cluster: TestCluster;
  let sns: SnsSigner;
  let sg: { publicKey: KeyObject; privateKey: KeyObject };
  let certDir: string;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  /** Tenant A's first campaign's messages by address. */
  let sent: Map<string, { id: string; status: string }>;

  const hard = { dsn: 'dsn-hard@example.org', sendgrid: 'sg-hard@example.org', ses: 'ses-hard@example.org' };
  const policyDsn = 'dsn-policy@example.org';

  beforeAll(async () => {
    sns = snsSigner();
    sg = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    certDir = mkdtempSync(join(tmpdir(), 'bounces-e2e-'));
    writeFileSync(join(certDir, 'sns.pem'), sns.certPem);
    cluster = await TestCluster.start('bounces', {
      SNS_CERT_PEM_FILE: join(certDir, 'sns.pem'),
      SES_SNS_TOPIC_ARNS: SES_TOPIC,
      SENDGRID_WEBHOOK_PUBLIC_KEY: sg.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      EMAIL_SOFT_BOUNCE_WINDOW_MS: '4000',
      EMAIL_SOFT_BOUNCE_RETRY_MAX_MS: '400',
    });
    [a, b] = [await cluster.createTenant('Skola A'), await cluster.createTenant('Förening B')];
    const addresses = [...Object.values(hard), policyDsn, SANDBOX_EMAIL.policy, 'ses-complaint@example.org', 'sg-unsub@example.org', 'fine@example.org'];
    await cluster.seedContacts(a.apiKey, addresses.length, (i) => ({ externalId: `a${i}`, email: addresses[i] }));
    const campaign = await cluster.launch(a.apiKey, { name: 'Först', channel: 'email', audience: { all: true }, email: { subject: 'Hej', text: 'Hej' } });
    await cluster.waitCompleted(a.apiKey, campaign, 60_000, (c) => c.counts.delivered === addresses.length - 1);
    sent = await messagesOf(campaign);
    expect(sent.get(SANDBOX_EMAIL.policy)!.status).toBe('failed');
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  });

  async function messagesOf(campaignId: string): Promise<Map<string, { id: string; status: string }>> {
    const r = await cluster.db.query('SELECT id, address, status FROM messages WHERE campaign_id = $1', [campaignId]);
    return new Map(r.rows.map((m) => [m.address, { id: m.id, status: m.status }]));
  }
  const statusOf = async (id: string) => (await cluster.db.query('SELECT status FROM messages WHERE id = $1', [id])).rows[0].status;
  const eventsOf = async (id: string, source: string) =>
    (await cluster.db.query('SELECT status, applied FROM message_events WHERE message_id = $1 AND source = $2 ORDER BY id', [id, source])).rows;
  const globalEntry = async (address: string) =>
    (await cluster.db.query(`SELECT reason, source, detail FROM suppressions WHERE channel = 'email' AND address = $1`, [address])).rows;

  function postSns(message: Record<string, string>) {
    return fetch(cluster.url('status-ingest', '/webhooks/ses'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': message.Type ?? 'Notification' },
      body: JSON.stringify(message),
    }).then((r) => r.status);
  }
  const sesNotification = (messageId: string, n: Record<string, unknown>, signer = sns, certUrl?: string) =>
    signer.message(
      {
        Type: 'Notification',
        Subject: 'Amazon SES Email Event Notification',
        Message: JSON.stringify({ ...n, mail: { messageId: `ses-${messageId}`, destination: ['x'], tags: { utskick_message_id: [messageId] } } }),
      },
      { certUrl },
    );

  function postSendgrid(events: Record<string, unknown>[], opts: { key?: KeyObject; tamper?: boolean; headers?: boolean } = {}) {
    const body = JSON.stringify(events) + '\r\n';
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createSign('sha256')
      .update(timestamp)
      .update(body)
      .sign(opts.key ?? sg.privateKey)
      .toString('base64');
    return fetch(cluster.url('status-ingest', '/webhooks/sendgrid'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.headers === false ? {} : { 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': timestamp }),
      },
      body: opts.tamper ? body.replace('"bounce"', '"delivered"') : body,
    }).then((r) => r.status);
  }
  const sgEvent = (messageId: string, event: string, extra: Record<string, unknown> = {}) => ({
    email: 'x@example.org',
    timestamp: Math.floor(Date.now() / 1000),
    event,
    sg_event_id: `sg-${randomUUID()}`,
    sg_message_id: `sgm-${messageId}`,
    utskick_message_id: messageId,
    ...extra,
  });

  /** The Return-Path the sandbox saw on the mail to `address` (our VERP address, HMAC and all). */
  async function returnPath(address: string): Promise<string> {
    const res = await cluster.http('provider-sandbox', 'GET', `/sandbox/emails?to=${encodeURIComponent(address)}&limit=1`);
    return res.body.items[0].from;
  }
  const dsnText = (to: string, recipient: string, action: string, status: string, diagnostic: string) =>
    [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.org>',
      `To: ${to}`,
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="RPT"',
      '',
      '--RPT',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'I could not deliver your message.',
      '',
      '--RPT',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.org',
      '',
      `Final-Recipient: rfc822; ${recipient}`,
      `Original-Recipient: rfc822;${recipient}`,
      `Action: ${action}`,
      `Status: ${status}`,
      `Diagnostic-Code: smtp; ${diagnostic}`,
      '',
      '--RPT--',
      '',
    ].join('\r\n');
  async function sendDsn(verp: string, raw: string): Promise<{ ok: boolean; code?: number }> {
    const t = nodemailer.createTransport({ host: '127.0.0.1', port: Number(cluster.env.STATUS_INGEST_SMTP_PORT), secure: false, ignoreTLS: true });
    try {
      await t.sendMail({ envelope: { from: '', to: [verp] }, raw });
      return { ok: true };
    } catch (err) {
      return { ok: false, code: (err as { responseCode?: number }).responseCode };
    } finally {
      t.close();
    }
  }

  it("a hard bounce from tenant A's campaign (DSN over SMTP, SendGrid, SES) blocks the address in tenant B's next campaign; 5.7.x blocks nothing", async () => {
    const verp = await returnPath(hard.dsn);
    expect(verp).toMatch(/^bounces\+[0-9a-f-]{36}\.[0-9a-f]{16}@/);
    expect(await sendDsn(verp, dsnText(verp, hard.dsn, 'failed', '5.1.1', '550 5.1.1 <dsn-hard@example.org>: User unknown'))).toEqual({ ok: true });
    const verpPolicy = await returnPath(policyDsn);
    expect(await sendDsn(verpPolicy, dsnText(verpPolicy, policyDsn, 'failed', '5.7.1', '550 5.7.1 Message rejected by policy'))).toEqual({ ok: true });
    expect(await postSendgrid([sgEvent(sent.get(hard.sendgrid)!.id, 'bounce', { type: 'bounce', status: '5.1.1', reason: '550 5.1.1 no such user' })])).toBe(204);
    const ses = sent.get(hard.ses)!.id;
    expect(
      await postSns(
        sesNotification(ses, {
          notificationType: 'Bounce',
          bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: hard.ses, status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }] },
        }),
      ),
    ).toBe(200);

    for (const [source, address] of Object.entries(hard)) {
      expect(await statusOf(sent.get(address)!.id)).toBe('bounced');
      expect(await globalEntry(address)).toEqual([{ reason: 'hard_bounce', source, detail: '5.1.1' }]);
      const problem = await cluster.db.query('SELECT tenant_id, problem FROM email_addresses WHERE address = $1', [address]);
      expect(problem.rows).toEqual([{ tenant_id: a.id, problem: 'invalid' }]);
    }
    // The policy rejection is recorded against its message and proves nothing about the address.
    expect(await eventsOf(sent.get(policyDsn)!.id, 'dsn')).toEqual([{ status: 'failed', applied: false }]);
    expect(await globalEntry(policyDsn)).toEqual([]);
    expect(await globalEntry(SANDBOX_EMAIL.policy)).toEqual([]);

    const addresses = [...Object.values(hard), policyDsn, SANDBOX_EMAIL.policy, 'b-fine@example.org'];
    await cluster.seedContacts(b.apiKey, addresses.length, (i) => ({ externalId: `b${i}`, email: addresses[i] }));
    const next = await cluster.launch(b.apiKey, { name: 'Nästa', channel: 'email', audience: { all: true }, email: { subject: 'Hej', text: 'Hej' } });
    const done = await cluster.waitCompleted(b.apiKey, next, 60_000, (c) => c.counts.delivered === 2);
    expect(done.counts).toEqual({ suppressed: 3, delivered: 2, failed: 1 });
    const bMessages = await messagesOf(next);
    for (const address of Object.values(hard)) expect(bMessages.get(address)!.status).toBe('suppressed');
    expect(bMessages.get(policyDsn)!.status).toBe('delivered');
  });

  it('bounce mail is taken only for VERP addresses whose HMAC matches', async () => {
    const verp = await returnPath('fine@example.org');
    const forged = verp.replace(/\.([0-9a-f]{16})@/, (_m, h: string) => `.${h.startsWith('0') ? '1' : '0'}${h.slice(1)}@`);
    expect(await sendDsn(forged, dsnText(forged, 'fine@example.org', 'failed', '5.1.1', '550 5.1.1 unknown'))).toEqual({ ok: false, code: 550 });
    expect(await sendDsn('postmaster@bounces.utskick.test', dsnText('x', 'fine@example.org', 'failed', '5.1.1', '550 5.1.1 unknown'))).toEqual({ ok: false, code: 550 });
    expect(await statusOf(sent.get('fine@example.org')!.id)).toBe('delivered');
    expect(await globalEntry('fine@example.org')).toEqual([]);

    // Garbage is taken and dropped; a report with a NUL in its fields is stored, not answered 451 for ever.
    const verpPolicy = await returnPath(policyDsn);
    expect(await sendDsn(verpPolicy, 'this is \u0000 not a mail at all\r\n\r\n--\r\n')).toEqual({ ok: true });
    expect(await sendDsn(verpPolicy, dsnText(verpPolicy, policyDsn, 'delayed', '4.4.7\u0000', '451 4.4.7 still\u0000 trying'))).toEqual({ ok: true });
    // The latest mail to that address may be tenant B's: the VERP address names the message.
    const policyMessage = /^bounces\+([0-9a-f-]{36})\./.exec(verpPolicy)![1];
    expect((await eventsOf(policyMessage, 'dsn')).at(-1)).toEqual({ status: 'dsn_delayed', applied: false });
  });

  it('a complaint (SES) marks the message spam and blocks the address globally; a SendGrid unsubscribe opts out tenant A only', async () => {
    const complaint = sent.get('ses-complaint@example.org')!.id;
    expect(
      await postSns(sesNotification(complaint, { notificationType: 'Complaint', complaint: { complaintFeedbackType: 'abuse', complainedRecipients: [{ emailAddress: 'x' }] } })),
    ).toBe(200);
    expect(await statusOf(complaint)).toBe('spam');
    expect(await globalEntry('ses-complaint@example.org')).toEqual([{ reason: 'complaint', source: 'ses', detail: 'abuse' }]);

    const unsub = sent.get('sg-unsub@example.org')!.id;
    expect(await postSendgrid([sgEvent(unsub, 'unsubscribe')])).toBe(204);
    expect(await statusOf(unsub)).toBe('unsubscribed');
    const optOuts = await cluster.db.query(`SELECT tenant_id, book_id, source FROM opt_outs WHERE address = 'sg-unsub@example.org'`);
    expect(optOuts.rows).toEqual([{ tenant_id: a.id, book_id: null, source: 'provider_unsubscribe' }]);
    expect(await globalEntry('sg-unsub@example.org')).toEqual([]);
  });

  it('rejects forged SNS and SendGrid posts with 403 and changes nothing', async () => {
    const id = sent.get('fine@example.org')!.id;
    const bounce = { notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ status: '5.1.1' }] } };
    // Signed by another key, with the certificate from a non-SNS host, altered after signing, unsigned.
    expect(await postSns(sesNotification(id, bounce, snsSigner()))).toBe(403);
    expect(await postSns(sesNotification(id, bounce, sns, 'https://sns.eu-north-1.amazonaws.com.evil.test/cert.pem'))).toBe(403);
    const altered = sesNotification(id, { notificationType: 'Delivery', delivery: {} });
    expect(await postSns({ ...altered, Message: altered.Message.replace('Delivery', 'Bounce') })).toBe(403);
    const { Signature: _s, ...unsigned } = sesNotification(id, bounce);
    expect(await postSns(unsigned)).toBe(403);
    // A correctly signed confirmation whose SubscribeURL is not on SNS is never visited.
    const offHost = sns.message({ Type: 'SubscriptionConfirmation', Message: 'confirm', SubscribeURL: 'https://evil.test/confirm', Token: 't' });
    expect(await postSns(offHost)).toBe(403);
    // Signed by SNS, but for a topic in someone else's AWS account.
    const foreign = sesNotification(id, bounce);
    expect(await postSns(sns.message({ Type: 'Notification', Message: foreign.Message, TopicArn: 'arn:aws:sns:eu-north-1:999999999999:theirs' }))).toBe(403);

    const sgBounce = [sgEvent(id, 'bounce', { type: 'bounce', status: '5.1.1' })];
    expect(await postSendgrid(sgBounce, { key: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey })).toBe(403);
    expect(await postSendgrid(sgBounce, { tamper: true })).toBe(403);
    expect(await postSendgrid(sgBounce, { headers: false })).toBe(403);

    expect(await statusOf(id)).toBe('delivered');
    expect(await globalEntry('fine@example.org')).toEqual([]);
    const events = await cluster.db.query(`SELECT count(*)::int AS n FROM message_events WHERE message_id = $1 AND source IN ('ses', 'sendgrid')`, [id]);
    expect(events.rows[0].n).toBe(0);
  });

  it('stores each duplicate report once: SNS MessageId, sg_event_id, the same DSN', async () => {
    const id = sent.get('fine@example.org')!.id;
    const note = sesNotification(id, { notificationType: 'Delivery', delivery: { recipients: ['fine@example.org'] } });
    expect(await postSns(note)).toBe(200);
    expect(await postSns(note)).toBe(200);
    const open = [sgEvent(id, 'open')];
    expect(await postSendgrid(open)).toBe(204);
    expect(await postSendgrid(open)).toBe(204);
    const verp = await returnPath('fine@example.org');
    const late = dsnText(verp, 'fine@example.org', 'delayed', '4.4.7', '451 4.4.7 still trying');
    expect(await sendDsn(verp, late)).toEqual({ ok: true });
    expect(await sendDsn(verp, late)).toEqual({ ok: true });
    expect(await eventsOf(id, 'ses')).toEqual([{ status: 'delivered', applied: false }]);
    expect(await eventsOf(id, 'sendgrid')).toEqual([{ status: 'open', applied: false }]);
    expect(await eventsOf(id, 'dsn')).toEqual([{ status: 'dsn_delayed', applied: false }]);
    expect(await statusOf(id)).toBe('delivered');
  });

  it("a provider's deferred or processed keeps the message sent; its delivered moves it on", async () => {
    // The sandbox holds its own events back, so the messages stay `sent` until we report.
    await cluster.sandboxConfig({ callbackDelayMs: 600_000 });
    try {
      await cluster.seedContacts(a.apiKey, 1, () => ({ externalId: 'later', email: 'later@example.org' }));
      const c = await cluster.launch(a.apiKey, { name: 'Senare', channel: 'email', audience: { contactIds: await idsOf(a.id, ['later']) }, email: { subject: 'Hej', text: 'Hej' } });
      await cluster.waitCompleted(a.apiKey, c, 60_000, (x) => x.counts.sent === 1);
      const id = (await messagesOf(c)).get('later@example.org')!.id;
      expect(await postSendgrid([sgEvent(id, 'processed'), sgEvent(id, 'deferred', { response: '451 4.2.0 busy', attempt: '1' })])).toBe(204);
      expect(await postSns(sesNotification(id, { eventType: 'DeliveryDelay', deliveryDelay: { delayType: 'MailboxFull' } }))).toBe(200);
      expect(await statusOf(id)).toBe('sent');
      expect(await eventsOf(id, 'sendgrid')).toEqual([
        { status: 'processed', applied: false },
        { status: 'deferred', applied: false },
      ]);
      expect(await postSendgrid([sgEvent(id, 'delivered')])).toBe(204);
      expect(await statusOf(id)).toBe('delivered');
    } finally {
      await cluster.http('provider-sandbox', 'POST', '/sandbox/reset');
    }
  });

  async function idsOf(tenantId: string, externalIds: string[]): Promise<string[]> {
    const r = await cluster.db.query('SELECT id FROM contacts WHERE tenant_id = $1 AND external_id = ANY($2)', [tenantId, externalIds]);
    return r.rows.map((x) => x.id);
  }

  it('soft bounces on our SMTP hop: retried and delivered within the window, bounced past it; full mailbox and deferral block nothing', async () => {
    const people = [SANDBOX_EMAIL.softbounce, SANDBOX_EMAIL.always4xx, SANDBOX_EMAIL.full, SANDBOX_EMAIL.deferral];
    await cluster.seedContacts(a.apiKey, people.length, (i) => ({ externalId: `soft${i}`, email: people[i] }));
    const c = await cluster.launch(a.apiKey, {
      name: 'Mjuka studsar',
      channel: 'email',
      audience: { contactIds: await idsOf(a.id, people.map((_, i) => `soft${i}`)) },
      email: { subject: 'Hej', text: 'Hej' },
    });
    const done = await cluster.waitCompleted(a.apiKey, c, 60_000, (x) => x.counts.delivered === 2 && x.counts.bounced === 2);
    expect(done.counts).toEqual({ delivered: 2, bounced: 2 });
    const m = await messagesOf(c);
    const soft = m.get(SANDBOX_EMAIL.softbounce)!.id;
    const row = (await cluster.db.query('SELECT attempts, next_attempt_at FROM messages WHERE id = $1', [soft])).rows[0];
    expect(row.attempts).toBe(3);
    const tries = await cluster.db.query(`SELECT status FROM message_events WHERE message_id = $1 AND source = 'worker' ORDER BY id`, [soft]);
    expect(tries.rows.map((r) => r.status)).toEqual(['deferred', 'deferred', 'sent']);

    const stuck = (await cluster.db.query('SELECT status, error, attempts FROM messages WHERE id = $1', [m.get(SANDBOX_EMAIL.always4xx)!.id])).rows[0];
    expect(stuck.status).toBe('bounced');
    expect(stuck.error).toMatch(/^soft bounce past its window: smtp 451/);
    expect(stuck.attempts).toBeGreaterThan(2);
    expect((await cluster.db.query('SELECT error FROM messages WHERE id = $1', [m.get(SANDBOX_EMAIL.full)!.id])).rows[0].error).toContain('5.2.2');
    const deferral = m.get(SANDBOX_EMAIL.deferral)!.id;
    expect(await eventsOf(deferral, 'sandbox-email')).toEqual([
      { status: 'deferred', applied: false },
      { status: 'delivered', applied: true },
    ]);
    for (const address of people) expect(await globalEntry(address)).toEqual([]);
  }, 90_000);

  describe('suppression API', () => {
    const check = (key: string, address: string, channel = 'email') =>
      cluster.api('GET', `/v1/suppressions/check?channel=${channel}&address=${encodeURIComponent(address)}`, key);

    it('shows a tenant that an address is blocked globally and why, never by which tenant', async () => {
      const res = await check(b.apiKey, hard.ses.toUpperCase());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ address: hard.ses, optOuts: [], problem: null, global: { blocked: true, reason: 'hard_bounce', detail: '5.1.1' } });
      expect(JSON.stringify(res.body)).not.toContain(a.id);
      expect((await check(a.apiKey, hard.ses)).body).toMatchObject({ problem: 'invalid', global: { blocked: true } });
      expect((await check(b.apiKey, 'nobody@example.org')).body).toEqual({
        address: 'nobody@example.org',
        optOuts: [],
        problem: null,
        global: { blocked: false, reason: null, detail: null },
      });
      expect((await check(b.apiKey, 'not an address')).status).toBe(400);
    });

    it("lists the tenant's own opt-outs and problems, paged, and nobody else's", async () => {
      const first = await cluster.api('GET', '/v1/suppressions?limit=2', a.apiKey);
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(2);
      const all = [...first.body.items];
      let cursor = first.body.nextCursor;
      while (cursor) {
        const page = await cluster.api('GET', `/v1/suppressions?limit=2&cursor=${cursor}`, a.apiKey);
        all.push(...page.body.items);
        cursor = page.body.nextCursor;
      }
      const keys = all.map((i) => `${i.kind}:${i.address}`);
      expect(keys).toEqual(expect.arrayContaining([`problem:${hard.dsn}`, `problem:${hard.sendgrid}`, `problem:${hard.ses}`, 'opt_out:sg-unsub@example.org', 'problem:ses-complaint@example.org']));
      expect(new Set(keys).size).toBe(keys.length);
      expect(all.find((i) => i.kind === 'opt_out')).toMatchObject({ scope: 'tenant', addressBookId: null, source: 'provider_unsubscribe' });
      expect((await cluster.api('GET', '/v1/suppressions', b.apiKey)).body.items).toEqual([]);
      const one = await cluster.api('GET', `/v1/suppressions?channel=email&address=${hard.dsn}`, a.apiKey);
      expect(one.body.items).toEqual([expect.objectContaining({ kind: 'problem', address: hard.dsn, problem: 'invalid', source: 'dsn' })]);
    });

    it('imports an opt-out list, naming bad rows; a tenant removes its own opt-outs only', async () => {
      const book = await cluster.api('POST', '/v1/address-books', b.apiKey, { name: 'Medlemmar' });
      const res = await cluster.api('POST', '/v1/opt-outs/import', b.apiKey, {
        channel: 'email',
        addresses: ['Old@Example.org', 'not an address', 'old@example.org', 42, 'other@example.org'],
        source: 'one_click', // named as the system's own sources are: still marked as imported
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        imported: 2,
        errors: [
          { index: 1, field: 'address', reason: 'is not a valid e-mail address' },
          { index: 3, field: 'address', reason: 'is not a valid e-mail address' },
        ],
      });
      const toBook = await cluster.api('POST', '/v1/opt-outs/import', b.apiKey, { channel: 'email', addresses: ['old@example.org'], addressBookId: book.body.id });
      expect(toBook.body).toEqual({ imported: 1, errors: [] });
      const checked = await check(b.apiKey, 'old@example.org');
      expect(checked.body.optOuts.map((o: { scope: string; addressBookId: string | null; source: string }) => [o.scope, o.addressBookId, o.source])).toEqual([
        ['tenant', null, 'import:one_click'],
        ['book', book.body.id, 'import'],
      ]);
      // Another tenant's book, too many rows: refused.
      const otherBook = await cluster.api('POST', '/v1/address-books', a.apiKey, { name: 'A:s bok' });
      expect((await cluster.api('POST', '/v1/opt-outs/import', b.apiKey, { channel: 'email', addresses: ['x@example.org'], addressBookId: otherBook.body.id })).status).toBe(400);
      expect((await cluster.api('POST', '/v1/opt-outs/import', b.apiKey, { channel: 'email', addresses: Array.from({ length: 10001 }, (_, i) => `p${i}@example.org`) })).status).toBe(400);

      const tenantWide = checked.body.optOuts[0].id;
      expect((await cluster.api('DELETE', `/v1/opt-outs/${tenantWide}`, a.apiKey)).status).toBe(404);
      expect((await cluster.api('DELETE', `/v1/opt-outs/${tenantWide}`, b.apiKey)).status).toBe(204);
      expect((await cluster.api('DELETE', `/v1/opt-outs/${tenantWide}`, b.apiKey)).status).toBe(404);
      expect((await check(b.apiKey, 'old@example.org')).body.optOuts).toHaveLength(1);
    });

    it('clears its own Problem; only the platform admin lifts a global block', async () => {
      expect((await cluster.api('DELETE', `/v1/suppressions/problems/${hard.dsn}`, b.apiKey)).status).toBe(404);
      expect((await cluster.api('DELETE', `/v1/suppressions/problems/${hard.dsn}`, a.apiKey)).status).toBe(204);
      expect((await check(a.apiKey, hard.dsn)).body).toMatchObject({ problem: null, global: { blocked: true } });

      const path = `/v1/admin/suppressions/email/${encodeURIComponent(hard.dsn)}`;
      expect((await cluster.api('DELETE', path, a.apiKey)).status).toBe(401);
      expect((await cluster.api('DELETE', path)).status).toBe(401);
      expect((await globalEntry(hard.dsn)).length).toBe(1);
      expect((await cluster.api('DELETE', path, cluster.env.ADMIN_TOKEN)).status).toBe(204);
      expect((await cluster.api('DELETE', path, cluster.env.ADMIN_TOKEN)).status).toBe(404);
      expect((await check(b.apiKey, hard.dsn)).body.global).toEqual({ blocked: false, reason: null, detail: null });
    });
  });
});
