import { TestCluster } from '../support/test-cluster';

/** POST /v1/sms/analyze: encoding, parts with the book's opt-out text, the tenant's cap and limits. */
describe('SMS analyze', () => {
  let cluster: TestCluster;
  let tenant: { id: string; apiKey: string };

  const r = (s: string, n: number) => s.repeat(n);
  const analyze = (body: unknown, apiKey = tenant.apiKey) => cluster.api('POST', '/v1/sms/analyze', apiKey, body);

  async function sender(tenantId: string, kind: string, value: string, keyword: string | null = null): Promise<string> {
    const rows = await cluster.db.query('INSERT INTO senders (tenant_id, kind, value, keyword) VALUES ($1, $2, $3, $4) RETURNING id', [
      tenantId,
      kind,
      value,
      keyword,
    ]);
    return rows.rows[0].id;
  }
  async function book(tenantId: string, name: string, senderId: string | null, optOutText = true): Promise<string> {
    const rows = await cluster.db.query(
      'INSERT INTO address_books (tenant_id, name, sender_id, opt_out_text) VALUES ($1, $2, $3, $4) RETURNING id',
      [tenantId, name, senderId, optOutText],
    );
    return rows.rows[0].id;
  }

  beforeAll(async () => {
    cluster = await TestCluster.start('analyze', {}, ['api']);
    tenant = await cluster.createTenant('Analyze school', { senders: [] });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('counts GSM-7 parts: "a"×160 → 1, "a"×161 → 2', async () => {
    const one = await analyze({ text: r('a', 160) });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ encoding: 'GSM-7', units: 160, parts: 1 });
    const two = await analyze({ text: r('a', 161) });
    expect(two.status).toBe(200);
    expect(two.body).toEqual({
      encoding: 'GSM-7',
      units: 161,
      parts: 2,
      ucs2Characters: [],
      footer: '',
      placeholders: [],
      cap: null,
      maxParts: 10,
      normalised: null,
      problems: [],
    });
  });

  it('names the characters forcing UCS-2 and offers a GSM normalisation without applying it', async () => {
    const res = await analyze({ text: 'Hej ’du’' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ encoding: 'UCS-2', units: 8, parts: 1, ucs2Characters: ['’'] });
    expect(res.body.normalised).toEqual({
      text: "Hej 'du'",
      encoding: 'GSM-7',
      parts: 1,
      replacements: [{ from: '’', to: "'", count: 2 }],
    });
  });

  it('shows a normalisation that saves parts', async () => {
    const res = await analyze({ text: r('a', 100) + '…' });
    expect(res.body).toMatchObject({ encoding: 'UCS-2', parts: 2 });
    expect(res.body.normalised).toMatchObject({ encoding: 'GSM-7', parts: 1 });
  });

  it('lists placeholders and counts the text rendered with fallbacks', async () => {
    const res = await analyze({ text: 'Hej %FIRST_NAME|vän%, %%-rabatt på %name%' });
    expect(res.status).toBe(200);
    expect(res.body.placeholders).toEqual(['FIRST_NAME', 'NAME']);
    expect(res.body.units).toBe('Hej vän, %-rabatt på '.length);
    expect(res.body.problems).toEqual([]);
  });

  it('reports an unknown placeholder by name, with 200', async () => {
    const res = await analyze({ text: 'Hej %FOO%, 50% rabatt' });
    expect(res.status).toBe(200);
    expect(res.body.problems).toEqual([{ field: 'text', reason: 'unknown placeholder %FOO%' }]);
  });

  it("counts a reply-number book's opt-out text in the parts", async () => {
    const senderId = await sender(tenant.id, 'reply_number', '+46701740001');
    const bookId = await book(tenant.id, 'Föräldrar', senderId);
    const long = await analyze({ text: r('a', 150), addressBookId: bookId });
    expect(long.status).toBe(200);
    expect(long.body).toMatchObject({ footer: '\nSvara STOPP för att avsluta', encoding: 'GSM-7', units: 178, parts: 2 });
    const short = await analyze({ text: r('a', 132), addressBookId: bookId });
    expect(short.body).toMatchObject({ units: 160, parts: 1 });
  });

  it('words the opt-out text after the sender named in from', async () => {
    const bookId = await book(tenant.id, 'Nyhetsbrev', null);
    await sender(tenant.id, 'alphanumeric', 'Skolan');
    await sender(tenant.id, 'short_code', '71230', 'SKOLAN');
    expect((await analyze({ text: 'Hej', addressBookId: bookId, from: ' Skolan ' })).body.footer).toBe('\nSMS STOPP till 72080');
    expect((await analyze({ text: 'Hej', addressBookId: bookId, from: '71230' })).body.footer).toBe('\nSvara STOPP eller SKOLAN STOPP');
    // No sender at all: the text-sender wording, pointing at the shared short code.
    expect((await analyze({ text: 'Hej', addressBookId: bookId })).body.footer).toBe('\nSMS STOPP till 72080');
    // A sender without a book gets no footer.
    expect((await analyze({ text: 'Hej', from: 'Skolan' })).body.footer).toBe('');
  });

  it('adds no opt-out text for a book that has it switched off', async () => {
    const senderId = await sender(tenant.id, 'reply_number', '+46701740002');
    const bookId = await book(tenant.id, 'Personal', senderId, false);
    const res = await analyze({ text: r('a', 150), addressBookId: bookId });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ footer: '', units: 150, parts: 1 });
  });

  it("follows the tenant's locale and override", async () => {
    const t = await cluster.createTenant('Lycée');
    await cluster.db.query(`UPDATE tenants SET locale = 'fr', opt_out_texts = $2 WHERE id = $1`, [
      t.id,
      JSON.stringify({ fr: { alphanumeric: '.STOP {shortCode}' } }),
    ]);
    const replyBook = await book(t.id, 'Parents', await sender(t.id, 'reply_number', '+33612345678'));
    const textBook = await book(t.id, 'Info', await sender(t.id, 'alphanumeric', 'Lycee'));
    expect((await analyze({ text: 'Bonjour', addressBookId: replyBook }, t.apiKey)).body.footer).toBe('\nRépondez STOP pour vous désabonner');
    expect((await analyze({ text: 'Bonjour', addressBookId: textBook }, t.apiKey)).body.footer).toBe('.STOP 72080');
  });

  it("reports text over the tenant's cap: 150 refused, 149 not", async () => {
    const t = await cluster.createTenant('Capped');
    await cluster.db.query('UPDATE tenants SET sms_text_cap = 149 WHERE id = $1', [t.id]);
    const over = await analyze({ text: r('a', 150) }, t.apiKey);
    expect(over.status).toBe(200);
    expect(over.body.cap).toEqual({ limit: 149, length: 150 });
    expect(over.body.problems).toEqual([
      { field: 'text', reason: 'is 150 characters; this account allows at most 149 before the opt-out text' },
    ]);
    const ok = await analyze({ text: r('a', 149) }, t.apiKey);
    expect(ok.body.cap).toEqual({ limit: 149, length: 149 });
    expect(ok.body.problems).toEqual([]);
  });

  it("reports text over the tenant's maximum number of parts", async () => {
    const t = await cluster.createTenant('Two parts');
    await cluster.db.query('UPDATE tenants SET sms_max_parts = 2 WHERE id = $1', [t.id]);
    const res = await analyze({ text: r('a', 307) }, t.apiKey);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ parts: 3, maxParts: 2 });
    expect(res.body.problems).toEqual([{ field: 'text', reason: 'would be 3 parts; at most 2 are allowed' }]);
    expect((await analyze({ text: r('a', 306) }, t.apiKey)).body.problems).toEqual([]);
  });

  it("refuses an unknown or another tenant's address book with 400 naming addressBookId", async () => {
    const other = await cluster.createTenant('Other');
    const foreign = await book(other.id, 'Theirs', null);
    for (const addressBookId of [foreign, '00000000-0000-7000-8000-000000000000', 'not-a-uuid']) {
      const res = await analyze({ text: 'Hej', addressBookId });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field: 'addressBookId', reason: 'no such address book' }]);
    }
  });

  it('refuses a from that is not a registered sender of this tenant', async () => {
    const other = await cluster.createTenant('Other sender');
    await sender(other.id, 'alphanumeric', 'Andras');
    for (const from of ['Andras', 'Okand']) {
      const res = await analyze({ text: 'Hej', from });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'from', reason: 'is not one of your registered senders' }]);
    }
  });

  it.each([
    ['missing text', {}, 'is required'],
    ['text not a string', { text: 42 }, 'must be a string'],
    ['text over 1,600 characters', { text: r('a', 1601) }, 'at most 1,600 characters'],
  ])('refuses %s with 400 problem+json', async (_name, body, reason) => {
    const res = await analyze(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: 'text', reason }]);
  });

  it('refuses a from holding a NUL character with 400 naming it, never 500', async () => {
    const res = await analyze({ text: 'Hej', from: 'Sko\u0000lan' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: 'from', reason: 'contains a NUL character or an unpaired surrogate' }]);
  });

  it('takes as from a registered reply number of 15 digits (16 characters, the E.164 maximum)', async () => {
    await sender(tenant.id, 'reply_number', '+431234567890123');
    const res = await analyze({ text: 'Hej', from: '+431234567890123' });
    expect(res.status).toBe(200);
    expect(res.body.problems).toEqual([]);
  });

  it('refuses a request without an API key with 401', async () => {
    const res = await cluster.api('POST', '/v1/sms/analyze', undefined, { text: 'Hej' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
