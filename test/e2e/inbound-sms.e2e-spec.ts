import { elksCallbackUrl, elksCallbackToken, twilioSignature } from '@utskick/providers';
import { mobile, TestCluster } from '../support/test-cluster';
import { waitFor } from '../support/test-env';

const REPLY_A = '+46766860001';
const REPLY_B = '+46766860002';
const SHARED = '72080';
const STOPPED_SV = 'Du är avregistrerad och får inga fler SMS härifrån. Svara START för att ångra.';
const STARTED_SV = 'Du är registrerad igen och kan få SMS härifrån. Svara STOPP för att avsluta.';
const HELP_SV = 'Svara STOPP för att inte få fler SMS härifrån, START för att få dem igen.';

/**
 * Inbound SMS through the running services: the sandbox plays a handset writing to our numbers
 * (Twilio signed webhook, 46elks token URL); STOP / START / HELP act on the scope of the last
 * message that number got, other replies are kept with it, and a retried webhook acts once.
 */
describe('inbound SMS, keywords and replies', () => {
  let cluster: TestCluster;
  let tenant: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };
  let bookA: string;
  let bookB: string;
  const X = mobile(11); // in both books
  const W = mobile(12); // in book A only

  beforeAll(async () => {
    cluster = await TestCluster.start('inbound');
    tenant = await cluster.createTenant('Inbound school');
    other = await cluster.createTenant('Other club');
    for (const [externalId, phone] of [['x', X], ['w', W]]) {
      expect((await cluster.api('POST', '/v1/contacts', tenant.apiKey, { externalId, phone })).status).toBe(201);
    }
    const ids = Object.fromEntries(
      (await cluster.db.query('SELECT id, external_id FROM contacts WHERE tenant_id = $1', [tenant.id])).rows.map((r) => [r.external_id, r.id]),
    );
    bookA = await book('Föräldrar', REPLY_A, [ids.x, ids.w]);
    bookB = await book('Klubben', REPLY_B, [ids.x]);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  async function book(name: string, replyNumber: string, contactIds: string[]): Promise<string> {
    const sender = await cluster.api('POST', '/v1/senders', tenant.apiKey, { kind: 'reply_number', value: replyNumber });
    expect(sender.status).toBe(201);
    const created = await cluster.api('POST', '/v1/address-books', tenant.apiKey, { name, senderId: sender.body.id });
    expect(created.status).toBe(201);
    expect((await cluster.api('POST', `/v1/address-books/${created.body.id}/contacts`, tenant.apiKey, { contactIds })).body).toEqual({ added: contactIds.length });
    return created.body.id;
  }

  /** Sends a campaign to a book and waits until nothing is pending; returns its id. */
  async function campaignTo(bookId: string, from: string, text: string): Promise<string> {
    const id = await cluster.launch(tenant.apiKey, { name: text, channel: 'sms', audience: { addressBookId: bookId }, sms: { from, text } });
    await cluster.waitCompleted(tenant.apiKey, id, 60_000);
    return id;
  }

  async function messageTo(campaignId: string, address: string): Promise<{ id: string; status: string; sender: string | null }> {
    const r = await cluster.db.query('SELECT id, status, sender FROM messages WHERE campaign_id = $1 AND address = $2', [campaignId, address]);
    expect(r.rows).toHaveLength(1);
    return r.rows[0];
  }

  /** A handset writes to one of our numbers, through the sandbox playing the provider. */
  async function inbound(from: string, to: string, body: string, extra: Record<string, string> = {}): Promise<{ status: number; reply: string | null }> {
    const res = await cluster.http('provider-sandbox', 'POST', '/sandbox/inbound', { body: { provider: 'twilio', from, to, body, ...extra } });
    expect(res.status).toBe(200);
    return res.body;
  }

  /** Posts an inbound SMS to status-ingest directly, signed as Twilio signs it, to read the raw TwiML. */
  function signedTwilioInbound(params: Record<string, string>): Promise<Response> {
    const url = cluster.url('status-ingest', '/webhooks/twilio/inbound');
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(cluster.env.SANDBOX_AUTH_TOKEN, url, params) },
      body: new URLSearchParams(params).toString(),
    });
  }

  /** What the sandbox sent to a number from one of our numbers (campaign SMS and keyword replies). */
  async function smsLog(to: string, from: string): Promise<string[]> {
    const res = await cluster.http('provider-sandbox', 'GET', `/sandbox/sms?to=${encodeURIComponent(to)}`);
    return res.body.items.filter((s: { from: string }) => s.from === from).map((s: { body: string }) => s.body);
  }

  const optOuts = async (address: string) =>
    (await cluster.db.query('SELECT tenant_id, book_id, source FROM opt_outs WHERE address = $1 ORDER BY id', [address])).rows;
  const suppressions = async () =>
    (await cluster.db.query('SELECT address, reason, source, book_id, created_by_address FROM suppressions ORDER BY address')).rows;
  const inboundCount = async () => (await cluster.db.query('SELECT count(*)::int AS n FROM inbound_messages')).rows[0].n;

  it('refuses a forged Twilio inbound and a bad 46elks token with 403, storing nothing', async () => {
    const before = await inboundCount();
    const params = { MessageSid: 'SMforged', From: X, To: REPLY_A, Body: 'STOP' };
    const url = cluster.url('status-ingest', '/webhooks/twilio/inbound');
    for (const signature of [undefined, twilioSignature('not-the-token', url, params), twilioSignature(cluster.env.SANDBOX_AUTH_TOKEN, url, { ...params, Body: 'START' })]) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
        body: new URLSearchParams(params).toString(),
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const elksForm = new URLSearchParams({ id: 'sforged', from: X, to: REPLY_A, message: 'STOP', created: '2025-01-01T00:00:00.0' }).toString();
    const secret = cluster.env.ELKS_CALLBACK_SECRET;
    for (const path of [
      `/webhooks/46elks/${tenant.id}/${'A'.repeat(32)}/inbound`,
      // Another tenant's token does not open this tenant's URL.
      `/webhooks/46elks/${tenant.id}/${elksCallbackToken(secret, other.id)}/inbound`,
    ]) {
      const res = await fetch(cluster.url('status-ingest', path), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: elksForm });
      expect(res.status).toBe(403);
    }
    expect(await inboundCount()).toBe(before);
    expect(await optOuts(X)).toEqual([]);
  });

  let campaignA1: string;
  let campaignB1: string;

  it('a STOP reply opts the number out of that book only, with exactly one confirmation SMS', async () => {
    campaignA1 = await campaignTo(bookA, REPLY_A, 'Föräldramöte på tisdag.');
    expect((await cluster.db.query('SELECT address_book_id FROM campaigns WHERE id = $1', [campaignA1])).rows[0].address_book_id).toBe(bookA);
    expect((await messageTo(campaignA1, X)).sender).toBe(REPLY_A);

    expect(await inbound(X, REPLY_A, 'Stopp!')).toEqual(expect.objectContaining({ status: 200, reply: STOPPED_SV }));
    expect(await optOuts(X)).toEqual([{ tenant_id: tenant.id, book_id: bookA, source: 'sms_stop' }]);
    const listed = await cluster.api('GET', `/v1/opt-outs?channel=sms&addressBookId=${bookA}`, tenant.apiKey);
    expect(listed.body.items).toEqual([
      { id: expect.any(String), address: X, channel: 'sms', scope: 'book', addressBookId: bookA, source: 'sms_stop', createdAt: expect.any(String) },
    ]);
    // Looked up by the number's normal form, whatever form it is asked in.
    expect((await cluster.api('GET', `/v1/opt-outs?address=${X.replace('+46', '0')}`, tenant.apiKey)).body.items.map((o: { address: string }) => o.address)).toEqual([X]);
    expect((await cluster.api('GET', `/v1/opt-outs?address=${encodeURIComponent(W)}`, tenant.apiKey)).body.items).toEqual([]);
    expect((await cluster.api('GET', '/v1/opt-outs', other.apiKey)).body.items).toEqual([]);
    const log = await smsLog(X, REPLY_A);
    expect(log.filter((b) => b === STOPPED_SV)).toHaveLength(1);
    expect(log).toHaveLength(2); // the campaign's SMS and the confirmation

    const campaignA2 = await campaignTo(bookA, REPLY_A, 'Påminnelse om föräldramötet.');
    expect((await messageTo(campaignA2, X)).status).toBe('opted_out');
    expect(['sent', 'delivered']).toContain((await messageTo(campaignA2, W)).status);
    expect(await smsLog(X, REPLY_A)).toHaveLength(2); // nothing more was sent to X from book A

    campaignB1 = await campaignTo(bookB, REPLY_B, 'Träningen är inställd.');
    expect(['sent', 'delivered']).toContain((await messageTo(campaignB1, X)).status);
    const bLog = await smsLog(X, REPLY_B);
    expect(bLog).toHaveLength(1);
    expect(bLog[0]).toContain('Träningen är inställd.');
  });

  it("HELP answers with the tenant's help text, or a default naming how to stop", async () => {
    expect((await inbound(X, REPLY_A, 'help')).reply).toBe(HELP_SV);
    await cluster.db.query('UPDATE tenants SET help_text = $2 WHERE id = $1', [tenant.id, 'Frågor & svar: <expeditionen> 08-123 45 67. Svara STOPP för att avsluta.']);
    expect((await inbound(X, REPLY_A, 'Info')).reply).toBe('Frågor & svar: <expeditionen> 08-123 45 67. Svara STOPP för att avsluta.');
    const twiml = await signedTwilioInbound({ MessageSid: 'SMhelp0001', From: X, To: REPLY_A, Body: 'HELP' });
    expect(await twiml.text()).toBe('<Response><Message>Frågor &amp; svar: &lt;expeditionen&gt; 08-123 45 67. Svara STOPP för att avsluta.</Message></Response>');
    // 46elks: the tenant is in the URL and the response body is the reply SMS.
    const url = elksCallbackUrl(cluster.env.PUBLIC_BASE_URL, cluster.env.ELKS_CALLBACK_SECRET, tenant.id, 'inbound');
    const res = await cluster.http('provider-sandbox', 'POST', '/sandbox/inbound', { body: { provider: '46elks', from: W, to: REPLY_A, body: 'HELP', url } });
    expect(res.body).toEqual(expect.objectContaining({ status: 200, reply: 'Frågor & svar: <expeditionen> 08-123 45 67. Svara STOPP för att avsluta.' }));
    expect(await smsLog(W, REPLY_A)).toContain('Frågor & svar: <expeditionen> 08-123 45 67. Svara STOPP för att avsluta.');
    const rows = await cluster.db.query(`SELECT action, keyword, tenant_id FROM inbound_messages WHERE provider = '46elks'`);
    expect(rows.rows).toEqual([{ action: 'help', keyword: 'HELP', tenant_id: tenant.id }]);
    await cluster.db.query('UPDATE tenants SET help_text = NULL WHERE id = $1', [tenant.id]);
  });

  it('START lifts the opt-out its own STOP created', async () => {
    expect((await inbound(X, REPLY_A, 'START')).reply).toBe(STARTED_SV);
    expect(await optOuts(X)).toEqual([]);
    expect((await smsLog(X, REPLY_A)).filter((b) => b === STARTED_SV)).toHaveLength(1);
  });

  it('keeps an ordinary reply with the message it answers, listed per campaign, with no SMS back', async () => {
    const before = (await smsLog(X, REPLY_B)).length;
    expect(await inbound(X, REPLY_B, 'Tack, vi kommer!')).toEqual(expect.objectContaining({ status: 200, reply: null }));
    const res = await cluster.api('GET', `/v1/campaigns/${campaignB1}/replies`, tenant.apiKey);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          id: expect.any(String),
          from: X,
          body: 'Tack, vi kommer!',
          action: 'reply',
          keyword: null,
          messageId: (await messageTo(campaignB1, X)).id,
          receivedAt: expect.any(String),
        },
      ],
      nextCursor: null,
    });
    const aReplies = await cluster.api('GET', `/v1/campaigns/${campaignA1}/replies?action=stop`, tenant.apiKey);
    expect(aReplies.body.items.map((r: { body: string; keyword: string }) => [r.body, r.keyword])).toEqual([['Stopp!', 'STOPP']]);
    expect(await smsLog(X, REPLY_B)).toHaveLength(before);
    expect((await cluster.api('GET', `/v1/campaigns/${campaignB1}/replies`, other.apiKey)).status).toBe(404);
    // Twilio is answered with TwiML: an empty response sends nothing back.
    const twiml = await signedTwilioInbound({ MessageSid: 'SMdirect0001', From: X, To: REPLY_B, Body: 'Ses där' });
    expect(twiml.status).toBe(200);
    expect(twiml.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await twiml.text()).toBe('<Response/>');
  });

  it('a retried inbound webhook (same MessageSid) acts once and gets no second reply', async () => {
    const first = await inbound(X, REPLY_B, 'STOP', { id: 'SMretried0001' });
    const again = await inbound(X, REPLY_B, 'STOP', { id: 'SMretried0001' });
    expect(first.reply).toBe(STOPPED_SV);
    expect(again).toEqual(expect.objectContaining({ status: 200, reply: null }));
    expect(await optOuts(X)).toEqual([{ tenant_id: tenant.id, book_id: bookB, source: 'sms_stop' }]);
    expect((await cluster.db.query(`SELECT count(*)::int AS n FROM inbound_messages WHERE provider_message_id = 'SMretried0001'`)).rows[0].n).toBe(1);
    expect((await smsLog(X, REPLY_B)).filter((b) => b === STOPPED_SV)).toHaveLength(1);
    await inbound(X, REPLY_B, 'START');
    expect(await optOuts(X)).toEqual([]);
  });

  it('a plain STOP to the shared short code blocks globally, tagged with the book; only that number’s START lifts it', async () => {
    await campaignTo(bookB, 'Skolan', 'Matchen flyttas till lördag.');
    expect((await inbound(X, SHARED, 'STOPP')).reply).toBe(STOPPED_SV);
    expect((await inbound(W, SHARED, 'stop')).reply).toBe(STOPPED_SV);
    await cluster.db.query(`INSERT INTO suppressions (channel, address, reason, source) VALUES ('sms', $1, 'complaint', 'admin')`, [mobile(13)]);
    expect(await suppressions()).toEqual([
      { address: X, reason: 'stop', source: 'shared_short_code', book_id: bookB, created_by_address: X },
      // W never got a text-sender SMS: no book to tag.
      { address: W, reason: 'stop', source: 'shared_short_code', book_id: null, created_by_address: W },
      { address: mobile(13), reason: 'complaint', source: 'admin', book_id: null, created_by_address: null },
    ].sort((a, b) => a.address.localeCompare(b.address)));
    expect(await optOuts(X)).toEqual([]);

    expect((await inbound(X, SHARED, 'START')).reply).toBe(STARTED_SV);
    expect((await inbound(mobile(13), SHARED, 'START')).reply).toBe(STARTED_SV);
    expect((await suppressions()).map((s) => s.address)).toEqual([W, mobile(13)].sort());
  });

  it('"KEYWORD STOPP" to a short code opts out of the scope of the tenant owning that keyword', async () => {
    const own = await cluster.api('POST', '/v1/senders', tenant.apiKey, { kind: 'short_code', value: SHARED, keyword: 'skola' });
    expect(own.status).toBe(201);
    expect((await cluster.api('POST', '/v1/senders', other.apiKey, { kind: 'short_code', value: SHARED, keyword: 'KLUBB' })).status).toBe(201);
    const campaign = await campaignTo(bookA, SHARED, 'Skolavslutning i kyrkan.');
    expect((await messageTo(campaign, X)).sender).toBe(SHARED);

    expect((await inbound(X, SHARED, 'Skola stopp')).reply).toBe(STOPPED_SV);
    expect(await optOuts(X)).toEqual([{ tenant_id: tenant.id, book_id: bookA, source: 'sms_stop' }]);
    // The other tenant's keyword: its scope (tenant-wide, it never sent X anything).
    expect((await inbound(X, SHARED, 'KLUBB STOPP')).reply).toBe(STOPPED_SV);
    expect(await optOuts(X)).toEqual([
      { tenant_id: tenant.id, book_id: bookA, source: 'sms_stop' },
      { tenant_id: other.id, book_id: null, source: 'sms_stop' },
    ]);
    expect((await suppressions()).map((s) => s.address)).not.toContain(X);
    // "KEYWORD HELP" is answered by the keyword's tenant, not by whoever last wrote to the number.
    expect((await cluster.api('PATCH', '/v1/settings', other.apiKey, { helpText: 'Klubbens kansli: 08-555 00 00.' })).status).toBe(200);
    expect((await inbound(X, SHARED, 'Klubb help')).reply).toBe('Klubbens kansli: 08-555 00 00.');
    expect((await inbound(X, SHARED, 'skola start')).reply).toBe(STARTED_SV);
    expect(await optOuts(X)).toEqual([{ tenant_id: other.id, book_id: null, source: 'sms_stop' }]);
  });

  describe('review: scope and sending after a STOP', () => {
    const REPLY_D = '+46766860004';
    const V = mobile(21); // in books D1 and D2
    const U = mobile(22); // in book D2 only
    let d1: string;
    let d2: string;

    beforeAll(async () => {
      for (const [externalId, phone] of [['v', V], ['u', U]]) {
        expect((await cluster.api('POST', '/v1/contacts', tenant.apiKey, { externalId, phone })).status).toBe(201);
      }
      const ids = Object.fromEntries(
        (await cluster.db.query('SELECT id, external_id FROM contacts WHERE tenant_id = $1', [tenant.id])).rows.map((r) => [r.external_id, r.id]),
      );
      // Two books sharing one reply number.
      const sender = await cluster.api('POST', '/v1/senders', tenant.apiKey, { kind: 'reply_number', value: REPLY_D });
      expect(sender.status).toBe(201);
      const make = async (name: string, contactIds: string[]) => {
        const created = await cluster.api('POST', '/v1/address-books', tenant.apiKey, { name, senderId: sender.body.id });
        expect(created.status).toBe(201);
        expect((await cluster.api('POST', `/v1/address-books/${created.body.id}/contacts`, tenant.apiKey, { contactIds })).status).toBe(200);
        return created.body.id as string;
      };
      d1 = await make('D1', [ids.v]);
      d2 = await make('D2', [ids.v, ids.u]);
    }, 60_000);

    afterAll(async () => {
      await cluster.sandboxConfig({ failureRate: 0 });
    });

    it('a STOP is about the last message the number got, and a message still waiting to be sent is not sent after it', async () => {
      await campaignTo(d1, REPLY_D, 'Första boken.');
      await cluster.sandboxConfig({ failureRate: 1 });
      const id = await cluster.launch(tenant.apiKey, { name: 'D2', channel: 'sms', audience: { addressBookId: d2 }, sms: { from: REPLY_D, text: 'Andra boken.' } });
      // Both D2 messages were tried and are waiting for the provider to come back.
      await waitFor('D2 messages retried', async () => {
        const r = await cluster.db.query(`SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1 AND attempts >= 1 AND status IN ('deferred', 'sending', 'queued')`, [id]);
        return r.rows[0].n === 2 || null;
      }, 30_000);

      // V answers the D1 message it got: D1's scope, not that of D2's message it has not got.
      expect((await inbound(V, REPLY_D, 'STOP')).reply).toBe(STOPPED_SV);
      expect(await optOuts(V)).toEqual([{ tenant_id: tenant.id, book_id: d1, source: 'sms_stop' }]);
      // U got nothing from this number yet: STOP is honoured tenant-wide, and its pending D2 message is never sent.
      expect((await inbound(U, REPLY_D, 'STOP')).reply).toBe(STOPPED_SV);
      expect(await optOuts(U)).toEqual([{ tenant_id: tenant.id, book_id: null, source: 'sms_stop' }]);

      await cluster.sandboxConfig({ failureRate: 0 });
      await cluster.waitCompleted(tenant.apiKey, id, 60_000);
      expect((await messageTo(id, U)).status).toBe('opted_out');
      expect((await cluster.db.query('SELECT error, sent_at FROM messages WHERE campaign_id = $1 AND address = $2', [id, U])).rows[0]).toEqual({
        error: 'opted out or blocked after the fan-out',
        sent_at: null,
      });
      expect(['sent', 'delivered']).toContain((await messageTo(id, V)).status);
      expect(await smsLog(U, REPLY_D)).toEqual([STOPPED_SV]);
    }, 90_000);

    it("a plain STOP to a tenant's own short code is honoured tenant-wide even with no message before it", async () => {
      expect((await cluster.api('POST', '/v1/senders', tenant.apiKey, { kind: 'short_code', value: '71234', keyword: 'EGEN' })).status).toBe(201);
      const T = mobile(23);
      expect((await inbound(T, '71234', 'STOP')).reply).toBe(STOPPED_SV);
      expect(await optOuts(T)).toEqual([{ tenant_id: tenant.id, book_id: null, source: 'sms_stop' }]);
    });

    it("a STOP arriving on one tenant's 46elks URL never reads or links another tenant's messages", async () => {
      const url = elksCallbackUrl(cluster.env.PUBLIC_BASE_URL, cluster.env.ELKS_CALLBACK_SECRET, other.id, 'inbound');
      const res = await cluster.http('provider-sandbox', 'POST', '/sandbox/inbound', { body: { provider: '46elks', from: X, to: SHARED, body: 'STOP', url, id: 'sreview0001' } });
      expect(res.body.status).toBe(200);
      const row = await cluster.db.query(`SELECT tenant_id, message_id, campaign_id, book_id FROM inbound_messages WHERE provider_message_id = 'sreview0001'`);
      expect(row.rows).toEqual([{ tenant_id: other.id, message_id: null, campaign_id: null, book_id: null }]);
      expect((await suppressions()).find((s) => s.address === X)).toEqual(expect.objectContaining({ book_id: null }));
      await cluster.http('provider-sandbox', 'POST', '/sandbox/inbound', { body: { provider: '46elks', from: X, to: SHARED, body: 'START', url } });
      expect((await suppressions()).map((s) => s.address)).not.toContain(X);
    });

    it('answers NUL or broken text in an authenticated webhook 400, not 500', async () => {
      const inboundUrl = cluster.url('status-ingest', `/webhooks/46elks/${tenant.id}/${elksCallbackToken(cluster.env.ELKS_CALLBACK_SECRET, tenant.id)}/inbound`);
      for (const form of [
        { id: 'sbad\u00000001', from: V, to: REPLY_D, message: 'hej' },
        { id: 'sbad0002', from: 'x\u0000', to: REPLY_D, message: 'hej' },
        { id: 'sbad0003', from: V, to: '\u0000', message: 'hej' },
      ]) {
        const r = await fetch(inboundUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
        expect(r.status).toBe(400);
        expect(r.headers.get('content-type')).toContain('application/problem+json');
      }
      const [m] = (await cluster.db.query(`SELECT id FROM messages WHERE tenant_id = $1 LIMIT 1`, [tenant.id])).rows;
      const delivery = elksCallbackUrl(cluster.env.PUBLIC_BASE_URL, cluster.env.ELKS_CALLBACK_SECRET, tenant.id, `delivery/${m.id}`);
      const reports: Record<string, string>[] = [{ id: 's\u0000', status: 'delivered' }, { id: 'sok', status: 'delivered', delivered: '\u0000' }];
      for (const form of reports) {
        const r = await fetch(delivery, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
        expect(r.status).toBe(400);
      }
    });
  });
});
