import { mobile, TestCluster } from '../support/test-cluster';
import { waitFor } from '../support/test-env';

const SE_PRICE = 45;
const NO_PRICE = 55;
const REPLY_NUMBER = '+46701112233';
const FOOTER = '\nSvara STOPP för att avsluta';
const ALWAYS_FAIL = '+46700990001';

/**
 * SMS as it is charged: the estimate before execute, placeholders rendered per recipient, the
 * address book's opt-out text counted, credit reserved per fan-out batch and never overspent, and
 * parts never submitted refunded, all through the running services.
 */
describe('SMS estimate, rendering and credits', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start('credits', {
      SMS_PRICES: JSON.stringify({ default: 65, SE: SE_PRICE, NO: NO_PRICE }),
      FANOUT_BATCH_SIZE: '4',
    });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  /** A book sending from a reply number (a number belongs to one tenant: pass another one per tenant). */
  async function bookWithReplyNumber(apiKey: string, contactIds: string[], replyNumber = REPLY_NUMBER): Promise<string> {
    const sender = await cluster.api('POST', '/v1/senders', apiKey, { kind: 'reply_number', value: replyNumber });
    expect(sender.status).toBe(201);
    const book = await cluster.api('POST', '/v1/address-books', apiKey, { name: 'Föräldrar', senderId: sender.body.id });
    expect(book.status).toBe(201);
    const added = await cluster.api('POST', `/v1/address-books/${book.body.id}/contacts`, apiKey, { contactIds });
    expect(added.status).toBe(200);
    return book.body.id;
  }

  async function balance(apiKey: string): Promise<number> {
    const res = await cluster.api('GET', '/v1/credits', apiKey);
    expect(res.status).toBe(200);
    return res.body.balance.amount;
  }

  it('estimates exactly what execute then sends and charges, per recipient, footer included', async () => {
    const t = await cluster.createTenant('Estimate school', { credit: 100_000 });
    const pad = 'a'.repeat(120);
    const people = [
      { externalId: 'anna', firstName: 'Anna', phone: mobile(1) }, // 130 + footer 28 = 158 → 1 part
      { externalId: 'blank', firstName: '', phone: mobile(2) }, // fallback "vän" → 1 part
      { externalId: 'long', firstName: 'Maximiliana', phone: mobile(3) }, // 165 → 2 parts
      { externalId: 'zoe', firstName: 'Zoë', phone: mobile(4) }, // ë is not GSM-7 → UCS-2, 157 units → 3 parts
      { externalId: 'nor', firstName: 'Ola', phone: '+4791234567' }, // Norwegian price
      { externalId: 'fail', firstName: 'Fel', phone: ALWAYS_FAIL }, // reserved, rejected at submission, refunded
      { externalId: 'land', firstName: 'Land', phone: '08-123 456 78' }, // Stockholm fixed line
      { externalId: 'none', firstName: 'Ingen' }, // no phone
      { externalId: 'opt', firstName: 'Opt', phone: mobile(6) },
      { externalId: 'sup', firstName: 'Sup', phone: mobile(7) },
      { externalId: 'outside', firstName: 'Utanför', phone: mobile(8) }, // not in the book
    ];
    const bulk = await cluster.api('POST', '/v1/contacts/bulk', t.apiKey, { contacts: people });
    expect(bulk.body.errors).toEqual([]);
    // Added later, so after Anna in contact-id order: the duplicate is this one.
    await new Promise((r) => setTimeout(r, 5));
    await cluster.api('POST', '/v1/contacts', t.apiKey, { externalId: 'dup', firstName: 'Dubbel', phone: mobile(1) });
    const ids = (await cluster.db.query('SELECT id, external_id FROM contacts WHERE tenant_id = $1 ORDER BY id', [t.id])).rows;
    const inBook = ids.filter((r) => r.external_id !== 'outside').map((r) => r.id);
    const bookId = await bookWithReplyNumber(t.apiKey, inBook);
    await cluster.db.query(`INSERT INTO opt_outs (tenant_id, channel, address, book_id, source) VALUES ($1, 'sms', $2, NULL, 'test')`, [t.id, mobile(6)]);
    await cluster.db.query(`INSERT INTO suppressions (channel, address, reason, source) VALUES ('sms', $1, 'stop', 'test')`, [mobile(7)]);

    const created = await cluster.api('POST', '/v1/campaigns', t.apiKey, {
      name: 'Föräldramöte',
      channel: 'sms',
      audience: { addressBookId: bookId },
      sms: { text: `Hej %FIRST_NAME|vän%! ${pad}` },
    });
    expect(created.status).toBe(201);
    expect(created.body.sms.from).toBe(REPLY_NUMBER); // the book's sender

    const before = await balance(t.apiKey);
    const estimate = await cluster.api('POST', `/v1/campaigns/${created.body.id}/estimate`, t.apiKey);
    expect(estimate.status).toBe(200);
    const parts = { anna: 1, blank: 1, long: 2, zoe: 3, nor: 1, fail: 1 };
    const expectedCost = (parts.anna + parts.blank + parts.long + parts.zoe + parts.fail) * SE_PRICE + parts.nor * NO_PRICE;
    expect(estimate.body).toEqual({
      recipients: 6,
      excluded: { cannot_receive_sms: 1, no_primary_phone: 1, duplicate_address: 1, opted_out: 1, suppressed: 1 },
      parts: 9,
      cost: { amount: expectedCost, currency: 'SEK' },
      balance: { amount: before, currency: 'SEK' },
    });

    await cluster.http('provider-sandbox', 'POST', '/sandbox/reset');
    expect((await cluster.api('POST', `/v1/campaigns/${created.body.id}/execute`, t.apiKey)).status).toBe(202);
    const done = await cluster.waitCompleted(t.apiKey, created.body.id, 60_000, (c) => c.counts.delivered === 5);
    expect(done.counts).toEqual({ delivered: 5, failed: 1, cannot_receive_sms: 1, no_primary_phone: 1, duplicate_address: 1, opted_out: 1, suppressed: 1 });

    // What the provider received: rendered per recipient, footer appended, parts as estimated.
    const sent = (await cluster.http('provider-sandbox', 'GET', '/sandbox/sms?limit=100')).body.items as { to: string; body: string; numSegments: number; from: string }[];
    const byTo = new Map(sent.map((s) => [s.to, s]));
    expect(sent).toHaveLength(5);
    expect(byTo.get(mobile(1))!.body).toBe(`Hej Anna! ${pad}${FOOTER}`);
    expect(byTo.get(mobile(2))!.body).toBe(`Hej vän! ${pad}${FOOTER}`);
    expect(byTo.get(mobile(1))!.from).toBe(REPLY_NUMBER);
    expect([mobile(1), mobile(2), mobile(3), mobile(4), '+4791234567'].map((n) => byTo.get(n)!.numSegments)).toEqual([1, 1, 2, 3, 1]);
    expect(sent.reduce((n, s) => n + s.numSegments, 0) + parts.fail).toBe(estimate.body.parts);

    // Charged what was estimated, then the part never submitted is given back.
    await waitFor('refund of the rejected message', async () => ((await balance(t.apiKey)) === before - expectedCost + SE_PRICE ? true : null), 20_000, 200);
    const ledger = await cluster.db.query('SELECT reserved_cost, refunded_cost FROM campaigns WHERE id = $1', [created.body.id]);
    expect(ledger.rows[0]).toEqual({ reserved_cost: String(expectedCost), refunded_cost: String(SE_PRICE) });
    const history = await cluster.api('GET', '/v1/credits/history?limit=100', t.apiKey);
    const kinds = history.body.items.map((i: { kind: string }) => i.kind);
    expect(kinds[0]).toBe('refund');
    expect(kinds).toContain('top_up');
    const reserved = history.body.items.filter((i: { kind: string }) => i.kind === 'reservation').reduce((n: number, i: { amount: { amount: number } }) => n - i.amount.amount, 0);
    expect(reserved).toBe(expectedCost);
    // FANOUT_BATCH_SIZE=4: six paying recipients cannot fit one batch; each batch paid for its own rows.
    expect(history.body.items.filter((i: { kind: string }) => i.kind === 'reservation').length).toBeGreaterThanOrEqual(2);

    // After execute the estimate reads the ledger: the same recipients and parts, the cost net of the refund.
    const after = await cluster.api('POST', `/v1/campaigns/${created.body.id}/estimate`, t.apiKey);
    expect(after.body.recipients).toBe(6);
    expect(after.body.parts).toBe(9);
    expect(after.body.cost.amount).toBe(expectedCost - SE_PRICE);
  });

  it('refuses at create what cannot be sent as written, naming the field', async () => {
    const t = await cluster.createTenant('Strict school');
    const contact = (await cluster.api('POST', '/v1/contacts', t.apiKey, { externalId: 'x', phone: mobile(20) })).body.id;
    const bookId = await bookWithReplyNumber(t.apiKey, [contact], '+46701112244');
    const create = (sms: Record<string, unknown>, audience: Record<string, unknown> = { addressBookId: bookId }) =>
      cluster.api('POST', '/v1/campaigns', t.apiKey, { name: 'x', channel: 'sms', audience, sms });

    const unknown = await create({ text: 'Hej %FORNAMN%!' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'sms.text', reason: 'unknown placeholder %FORNAMN%' }]);

    const unregistered = await create({ from: 'Okänd', text: 'Hej' }, { all: true });
    expect(unregistered.status).toBe(400);
    expect(unregistered.body.errors).toEqual([{ field: 'sms.from', reason: 'is not one of your registered senders' }]);

    const noSender = await create({ text: 'Hej' }, { all: true });
    expect(noSender.status).toBe(400);
    expect(noSender.body.errors[0].field).toBe('sms.from');

    const foreignBook = await create({ text: 'Hej' }, { addressBookId: '0190a0b0-0000-7000-8000-000000000000' });
    expect(foreignBook.status).toBe(400);
    expect(foreignBook.body.errors).toEqual([{ field: 'audience.addressBookId', reason: 'no such address book' }]);

    const tooLong = await create({ text: 'a'.repeat(1530) }); // 10 parts of 153 = 1530, the footer makes 11
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0].reason).toMatch(/11 parts; at most 10/);

    // The tenant's own cap applies to its text, not to the opt-out text after it.
    expect((await cluster.api('PATCH', '/v1/settings', t.apiKey, { smsTextCap: 149 })).status).toBe(200);
    const capped = await create({ text: 'b'.repeat(150) });
    expect(capped.status).toBe(400);
    expect(capped.body.errors[0]).toEqual({ field: 'sms.text', reason: 'is 150 characters; this account allows at most 149 before the opt-out text' });
    expect((await create({ text: 'b'.repeat(149) })).status).toBe(201);
  });

  it('answers 402 when the estimate exceeds the balance, and queues nothing', async () => {
    const t = await cluster.createTenant('Poor school', { credit: 100 });
    await cluster.seedContacts(t.apiKey, 3, (i) => ({ externalId: `p${i}`, phone: mobile(30 + i) }));
    const c = await cluster.api('POST', '/v1/campaigns', t.apiKey, { name: 'Too dear', channel: 'sms', audience: { all: true }, sms: { from: 'Skolan', text: 'Hej' } });
    const res = await cluster.api('POST', `/v1/campaigns/${c.body.id}/execute`, t.apiKey);
    expect(res.status).toBe(402);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 402, code: 'insufficient_credit', cost: { amount: 3 * SE_PRICE, currency: 'SEK' }, balance: { amount: 100 } });
    expect((await cluster.api('GET', `/v1/campaigns/${c.body.id}`, t.apiKey)).body.status).toBe('draft');
    expect(await balance(t.apiKey)).toBe(100);

    await cluster.topUp(t.id, 35);
    expect((await cluster.api('POST', `/v1/campaigns/${c.body.id}/execute`, t.apiKey)).status).toBe(202);
    await cluster.waitCompleted(t.apiKey, c.body.id, 30_000);
    expect(await balance(t.apiKey)).toBe(0);
  });

  it('never overspends when executes race: two campaigns for one balance, or one campaign twice', async () => {
    const t = await cluster.createTenant('Racing school', { credit: 10 * SE_PRICE });
    await cluster.seedContacts(t.apiKey, 6, (i) => ({ externalId: `r${i}`, phone: mobile(40 + i) }));
    const make = async (name: string) =>
      (await cluster.api('POST', '/v1/campaigns', t.apiKey, { name, channel: 'sms', audience: { all: true }, sms: { from: 'Skolan', text: name } })).body.id as string;
    const [a, b] = [await make('A'), await make('B')];
    // Each costs 6 parts of a 10-part balance: only one can go.
    const results = await Promise.all([a, b, a, b].map((id) => cluster.api('POST', `/v1/campaigns/${id}/execute`, t.apiKey)));
    const statuses = results.map((r) => r.status);
    const winner = statuses[0] === 202 ? a : b;
    expect(statuses.filter((s) => s === 202).length).toBe(2); // the winner, answered twice
    expect(statuses.filter((s) => s === 402).length).toBe(2);
    await cluster.waitCompleted(t.apiKey, winner, 30_000);
    expect(await balance(t.apiKey)).toBe(4 * SE_PRICE);
    const charged = await cluster.db.query(`SELECT count(*)::int AS n, coalesce(sum(cost), 0)::int AS cost FROM messages WHERE tenant_id = $1`, [t.id]);
    expect(charged.rows[0]).toEqual({ n: 6, cost: 6 * SE_PRICE });
  });

  it('stops the fan-out when credit runs out mid-campaign, and says why', async () => {
    const t = await cluster.createTenant('Drained school', { credit: 12 * SE_PRICE });
    await cluster.seedContacts(t.apiKey, 12, (i) => ({ externalId: `d${i}`, phone: mobile(60 + i) }));
    const c = await cluster.api('POST', '/v1/campaigns', t.apiKey, { name: 'Drained', channel: 'sms', audience: { all: true }, sms: { from: 'Skolan', text: 'Hej' } });
    // Spent elsewhere between execute and fan-out (the scheduler is down meanwhile): the batches
    // must stop rather than take the balance below zero.
    await cluster.kill('scheduler', 'SIGTERM');
    expect((await cluster.api('POST', `/v1/campaigns/${c.body.id}/execute`, t.apiKey)).status).toBe(202);
    await cluster.db.query(`UPDATE tenants SET sms_balance = $2 WHERE id = $1`, [t.id, 5 * SE_PRICE]);
    await cluster.startService('scheduler');
    const done = await cluster.waitCompleted(t.apiKey, c.body.id, 30_000);
    expect(done.statusReason).toBe('insufficient_credit');
    expect(done.counts.delivered).toBe(4); // one batch of four fits in five parts' worth; the next does not
    expect(await balance(t.apiKey)).toBe(SE_PRICE);
  });

  it('stops, and says why, a campaign whose sender was removed between execute and fan-out', async () => {
    const t = await cluster.createTenant('Forgetful school', { credit: 10 * SE_PRICE });
    await cluster.seedContacts(t.apiKey, 3, (i) => ({ externalId: `f${i}`, phone: mobile(120 + i) }));
    const sender = await cluster.api('POST', '/v1/senders', t.apiKey, { kind: 'alphanumeric', value: 'Tillfallig' });
    expect(sender.status).toBe(201);
    const c = await cluster.api('POST', '/v1/campaigns', t.apiKey, { name: 'Orphan', channel: 'sms', audience: { all: true }, sms: { from: 'Tillfallig', text: 'Hej' } });
    expect(c.status).toBe(201);
    await cluster.kill('scheduler', 'SIGTERM');
    expect((await cluster.api('POST', `/v1/campaigns/${c.body.id}/execute`, t.apiKey)).status).toBe(202);
    expect((await cluster.api('DELETE', `/v1/senders/${sender.body.id}`, t.apiKey)).status).toBe(204);
    await cluster.startService('scheduler');
    // Not retried forever (holding its estimate as committed credit): stopped, nothing sent or charged.
    const done = await cluster.waitCompleted(t.apiKey, c.body.id, 30_000);
    expect(done.statusReason).toBe('sender_removed');
    expect(done.counts).toEqual({});
    expect(await balance(t.apiKey)).toBe(10 * SE_PRICE);
  });

  it('takes as from a registered reply number of 15 digits (16 characters, the E.164 maximum)', async () => {
    const t = await cluster.createTenant('Vienna school');
    expect((await cluster.api('POST', '/v1/senders', t.apiKey, { kind: 'reply_number', value: '+431234567890123' })).status).toBe(201);
    const c = await cluster.api('POST', '/v1/campaigns', t.apiKey, { name: 'Wien', channel: 'sms', audience: { all: true }, sms: { from: '+431234567890123', text: 'Hallo' } });
    expect(c.status).toBe(201);
    expect(c.body.sms.from).toBe('+431234567890123');
  });

  it('answers bad admin input with 400 problem+json, never 500', async () => {
    const admin = cluster.env.ADMIN_TOKEN;
    const nul = await cluster.api('POST', '/v1/admin/tenants', admin, { name: 'Skolan\u0000' });
    expect(nul.status).toBe(400);
    expect(nul.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(nul.body.errors).toEqual([{ field: 'name', reason: 'contains a NUL character or an unpaired surrogate' }]);
    const t = await cluster.createTenant('Admin input school', { credit: 0 });
    const topUp = (body: unknown) => cluster.api('POST', `/v1/admin/tenants/${t.id}/credits`, admin, body);
    for (const body of [{ amount: '5' }, { amount: 0.5 }, { amount: -1 }, { amount: 1, note: 'x\u0000' }, {}]) {
      const res = await topUp(body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(await balance(t.apiKey)).toBe(0);
  });

  it("shows the platform admin a tenant's provider webhook URLs, and the 46elks one is accepted as that tenant's", async () => {
    const t = await cluster.createTenant('Webhook school');
    expect((await cluster.api('GET', `/v1/admin/tenants/${t.id}/webhooks`, t.apiKey)).status).toBe(401);
    const res = await cluster.api('GET', `/v1/admin/tenants/${t.id}/webhooks`, cluster.env.ADMIN_TOKEN);
    expect(res.status).toBe(200);
    expect(res.body.twilio.inboundSms).toBe(`${cluster.env.PUBLIC_BASE_URL}/webhooks/twilio/inbound`);
    const elksUrl: string = res.body['46elks'].inboundSms;
    expect(elksUrl.startsWith(`${cluster.env.PUBLIC_BASE_URL}/webhooks/46elks/${t.id}/`)).toBe(true);
    await cluster.api('PATCH', '/v1/settings', t.apiKey, { helpText: 'Ring expeditionen.' });
    const help = await cluster.http('provider-sandbox', 'POST', '/sandbox/inbound', { body: { provider: '46elks', from: mobile(90), to: '+46701119999', body: 'help', url: elksUrl } });
    expect(help.body).toMatchObject({ status: 200, reply: 'Ring expeditionen.' });
    const forged = elksUrl.replace(`/${t.id}/`, '/0190a0b0-0000-7000-8000-000000000000/');
    const refused = await cluster.http('provider-sandbox', 'POST', '/sandbox/inbound', { body: { provider: '46elks', from: mobile(90), to: '+46701119999', body: 'help', url: forged } });
    expect(refused.body.status).toBe(403);
    expect((await cluster.api('GET', '/v1/admin/tenants/0190a0b0-0000-7000-8000-000000000000/webhooks', cluster.env.ADMIN_TOKEN)).status).toBe(404);
  });

  it('sets up like the French product: 149 characters, then ".STOP <short code>", in one part; wording overrides merge', async () => {
    const t = await cluster.createTenant('Conservatoire', { senders: ['Ecole'] });
    const settings = (body: unknown) => cluster.api('PATCH', '/v1/settings', t.apiKey, body);
    expect((await settings({ locale: 'fr', smsTextCap: 149, optOutTexts: { fr: { alphanumeric: '.STOP {shortCode}' } } })).status).toBe(200);
    // Each PATCH changes what it names: another locale's wording is added, not put in place of the French one.
    const merged = await settings({ optOutTexts: { en: { reply_number: 'Reply STOP' } } });
    expect(merged.body.optOutTexts).toEqual({ fr: { alphanumeric: '.STOP {shortCode}' }, en: { reply_number: 'Reply STOP' } });
    expect((await settings({ optOutTexts: { en: { reply_number: null } } })).body.optOutTexts).toEqual({ fr: { alphanumeric: '.STOP {shortCode}' } });
    expect((await settings({ optOutTexts: { fr: { alphanumeric: '   ' } } })).status).toBe(400);

    const contact = (await cluster.api('POST', '/v1/contacts', t.apiKey, { externalId: 'eleve', phone: mobile(95) })).body.id;
    const sender = (await cluster.api('GET', '/v1/senders', t.apiKey)).body.items[0];
    const book = (await cluster.api('POST', '/v1/address-books', t.apiKey, { name: 'Élèves', senderId: sender.id })).body.id;
    await cluster.api('POST', `/v1/address-books/${book}/contacts`, t.apiKey, { contactIds: [contact] });
    const text = 'R'.repeat(149);
    expect((await cluster.api('POST', '/v1/campaigns', t.apiKey, { name: 'x', channel: 'sms', audience: { addressBookId: book }, sms: { text: text + 'R' } })).status).toBe(400);
    const c = await cluster.api('POST', '/v1/campaigns', t.apiKey, { name: 'Répét', channel: 'sms', audience: { addressBookId: book }, sms: { text } });
    expect(c.status).toBe(201);
    const estimate = await cluster.api('POST', `/v1/campaigns/${c.body.id}/estimate`, t.apiKey);
    expect(estimate.body).toMatchObject({ recipients: 1, parts: 1, cost: { amount: SE_PRICE } });
    expect((await cluster.api('POST', `/v1/campaigns/${c.body.id}/execute`, t.apiKey)).status).toBe(202);
    // Queued and not yet fanned out, the estimate still answers what it will send.
    expect((await cluster.api('POST', `/v1/campaigns/${c.body.id}/estimate`, t.apiKey)).body).toMatchObject({ recipients: 1, parts: 1 });
    await cluster.waitCompleted(t.apiKey, c.body.id, 30_000, (x) => x.counts.delivered === 1);
    const sent = (await cluster.http('provider-sandbox', 'GET', `/sandbox/sms?to=${encodeURIComponent(mobile(95))}`)).body.items;
    expect(sent).toEqual([expect.objectContaining({ body: `${text}.STOP 72080`, numSegments: 1, from: 'Ecole' })]);
  });

  it('refuses at create a text sender 46elks cannot send from, for a tenant on 46elks', async () => {
    const t = await cluster.createTenant('IK Sirius', { senders: ['IK Sirius', 'IKSirius'] });
    const create = (from: string) => cluster.api('POST', '/v1/campaigns', t.apiKey, { name: 'x', channel: 'sms', audience: { all: true }, sms: { from, text: 'Träning 18:00' } });
    expect((await create('IK Sirius')).status).toBe(201); // Twilio takes spaces
    expect((await cluster.api('PATCH', '/v1/settings', t.apiKey, { smsProvider: '46elks' })).status).toBe(200);
    const refused = await create('IK Sirius');
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'sms.from', reason: 'cannot be sent through 46elks: its text senders are 3 to 11 letters and digits, without spaces' }]);
    expect((await create('IKSirius')).status).toBe(201);
  });
});
