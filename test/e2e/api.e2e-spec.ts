import { createHash } from 'node:crypto';
import { HttpResult, TestCluster } from '../support/test-cluster';

/**
 * The public API against the built `api` service alone (own database and NATS prefix):
 * admin and tenant authentication, tenant isolation, problem+json validation errors,
 * contacts CRUD / paging / bulk upsert, campaign basics and the OpenAPI document.
 */
describe('public API', () => {
  let cluster: TestCluster;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  let aContact: any;
  let aCampaign: any;
  let bContact: any;
  let bCampaign: any;

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

  /** No internals in an answer: no stack frames, no source paths. */
  function expectNoInternals(res: HttpResult): void {
    const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
    expect(text).not.toMatch(/(^|\\n|\n)\s*at\s/);
    expect(text).not.toMatch(/\bat [^\s"]+ \(/);
    expect(text).not.toMatch(/node_modules|\/work\/|\/dist\/|\.[jt]s:\d+/);
  }

  /** Every call of this file goes through here, so every answer is checked for leaked internals. */
  async function api(method: string, path: string, token?: string, body?: unknown, headers?: Record<string, string>) {
    const res = await cluster.api(method, path, token, body, headers);
    expectNoInternals(res);
    return res;
  }

  async function raw(method: string, path: string, token: string | undefined, text: string, headers: Record<string, string> = {}) {
    const res = await cluster.http('api', method, path, { token, raw: text, headers: { 'content-type': 'application/json', ...headers } });
    expectNoInternals(res);
    return res;
  }

  function expectProblem(res: HttpResult, status: number): void {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual(
      expect.objectContaining({
        type: expect.any(String),
        title: expect.any(String),
        status,
        detail: expect.any(String),
      }),
    );
    expect(res.body.type.length).toBeGreaterThan(0);
    expect(res.body.title.length).toBeGreaterThan(0);
  }

  /** A 400 problem whose `errors` name `field` (and every entry is a {field, reason} pair). */
  function expectFieldError(res: HttpResult, field: string): void {
    expectProblem(res, 400);
    expect(Array.isArray(res.body.errors)).toBe(true);
    for (const e of res.body.errors) {
      expect(typeof e.field).toBe('string');
      expect(typeof e.reason).toBe('string');
      expect(e.reason.length).toBeGreaterThan(0);
    }
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  }

  const smsCampaign = (over: Record<string, unknown> = {}) => ({
    name: 'Term starts',
    channel: 'sms',
    audience: { all: true },
    sms: { from: 'Skolan', text: 'School starts on Monday.' },
    ...over,
  });

  beforeAll(async () => {
    cluster = await TestCluster.start('api', {}, ['api']);
    a = await cluster.createTenant('Tenant A');
    b = await cluster.createTenant('Tenant B');
    aContact = (await api('POST', '/v1/contacts', a.apiKey, { externalId: 'a-1', firstName: 'Anna', phone: '+46701111111' })).body;
    bContact = (await api('POST', '/v1/contacts', b.apiKey, { externalId: 'b-1', firstName: 'Bertil', phone: '+46702222222' })).body;
    aCampaign = (await api('POST', '/v1/campaigns', a.apiKey, smsCampaign({ name: 'A campaign', audience: { contactIds: [aContact.id] } }))).body;
    bCampaign = (await api('POST', '/v1/campaigns', b.apiKey, smsCampaign({ name: 'B campaign' }))).body;
    expect(aContact.id).toMatch(UUID);
    expect(bContact.id).toMatch(UUID);
    expect(aCampaign.id).toMatch(UUID);
    expect(bCampaign.id).toMatch(UUID);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  describe('admin: POST /v1/admin/tenants', () => {
    it('refuses a missing, wrong or tenant token with 401 problem+json', async () => {
      const before = (await cluster.db.query('SELECT count(*)::int AS n FROM tenants')).rows[0].n;
      expectProblem(await api('POST', '/v1/admin/tenants', undefined, { name: 'Nope' }), 401);
      expectProblem(await api('POST', '/v1/admin/tenants', 'wrong-token', { name: 'Nope' }), 401);
      expectProblem(await api('POST', '/v1/admin/tenants', `${cluster.env.ADMIN_TOKEN}x`, { name: 'Nope' }), 401);
      expectProblem(await api('POST', '/v1/admin/tenants', a.apiKey, { name: 'Nope' }), 401);
      expectProblem(await api('POST', '/v1/admin/tenants', undefined, { name: 'Nope' }, { authorization: `Basic ${cluster.env.ADMIN_TOKEN}` }), 401);
      const after = (await cluster.db.query('SELECT count(*)::int AS n FROM tenants')).rows[0].n;
      expect(after).toBe(before);
    });

    it('creates a tenant with the admin token and stores only the SHA-256 of its key', async () => {
      const res = await api('POST', '/v1/admin/tenants', cluster.env.ADMIN_TOKEN, { name: 'Hash school' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.stringMatching(UUID), name: 'Hash school', apiKey: expect.any(String) });
      const { id, apiKey } = res.body;
      expect(apiKey.length).toBeGreaterThanOrEqual(32);

      const keys = await cluster.db.query('SELECT key_hash FROM api_keys WHERE tenant_id = $1', [id]);
      expect(keys.rows).toHaveLength(1);
      expect(keys.rows[0].key_hash).toBe(sha256(apiKey));
      const everyKeyRow = await cluster.db.query('SELECT row_to_json(k)::text AS j FROM api_keys k');
      expect(everyKeyRow.rows.length).toBeGreaterThanOrEqual(3);
      for (const r of everyKeyRow.rows) expect(r.j).not.toContain(apiKey);
      const everyTenantRow = await cluster.db.query('SELECT row_to_json(t)::text AS j FROM tenants t');
      for (const r of everyTenantRow.rows) expect(r.j).not.toContain(apiKey);

      // The key works at once, and is that tenant's.
      const list = await api('GET', '/v1/contacts', apiKey);
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ items: [], nextCursor: null });
    });

    it('validates the tenant name (400 naming the field)', async () => {
      expectFieldError(await api('POST', '/v1/admin/tenants', cluster.env.ADMIN_TOKEN, {}), 'name');
      expectFieldError(await api('POST', '/v1/admin/tenants', cluster.env.ADMIN_TOKEN, { name: '   ' }), 'name');
    });
  });

  describe('tenant API key', () => {
    it.each([
      ['GET', '/v1/contacts'],
      ['POST', '/v1/contacts'],
      ['GET', '/v1/campaigns'],
      ['POST', '/v1/campaigns'],
      ['POST', '/v1/contacts/bulk'],
    ])('%s %s without a valid bearer key is 401 problem+json', async (method, path) => {
      const body = method === 'POST' ? {} : undefined;
      expectProblem(await api(method, path, undefined, body), 401);
      expectProblem(await api(method, path, 'uk_unknownkeyunknownkeyunknownkeyunknownkey', body), 401);
      expectProblem(await api(method, path, cluster.env.ADMIN_TOKEN, body), 401);
      expectProblem(await api(method, path, undefined, body, { authorization: a.apiKey }), 401);
    });

    it('a campaign or contact of a tenant is not reachable without its key', async () => {
      expectProblem(await api('GET', `/v1/campaigns/${aCampaign.id}`), 401);
      expectProblem(await api('GET', `/v1/contacts/${aContact.id}`, 'uk_nope'), 401);
      expectProblem(await api('DELETE', `/v1/contacts/${aContact.id}`), 401);
      expect((await api('GET', `/v1/contacts/${aContact.id}`, a.apiKey)).status).toBe(200);
    });
  });

  describe('tenant isolation', () => {
    it("answers 404 (never 403) for another tenant's campaign", async () => {
      expectProblem(await api('GET', `/v1/campaigns/${aCampaign.id}`, b.apiKey), 404);
      expectProblem(await api('GET', `/v1/campaigns/${aCampaign.id}/messages`, b.apiKey), 404);
      expectProblem(await api('POST', `/v1/campaigns/${aCampaign.id}/execute`, b.apiKey), 404);
      expectProblem(await api('GET', `/v1/campaigns/${bCampaign.id}`, a.apiKey), 404);
      // B's execute changed nothing of A's.
      const own = await api('GET', `/v1/campaigns/${aCampaign.id}`, a.apiKey);
      expect(own.status).toBe(200);
      expect(own.body.status).toBe('draft');
      const row = await cluster.db.query('SELECT status, executed_at FROM campaigns WHERE id = $1', [aCampaign.id]);
      expect(row.rows[0]).toEqual({ status: 'draft', executed_at: null });
    });

    it("answers 404 (never 403) for another tenant's contact, and changes nothing", async () => {
      expectProblem(await api('GET', `/v1/contacts/${aContact.id}`, b.apiKey), 404);
      expectProblem(await api('PATCH', `/v1/contacts/${aContact.id}`, b.apiKey, { firstName: 'Hacked' }), 404);
      expectProblem(await api('DELETE', `/v1/contacts/${aContact.id}`, b.apiKey), 404);
      const own = await api('GET', `/v1/contacts/${aContact.id}`, a.apiKey);
      expect(own.status).toBe(200);
      expect(own.body.firstName).toBe('Anna');
      const row = await cluster.db.query('SELECT tenant_id, first_name FROM contacts WHERE id = $1', [aContact.id]);
      expect(row.rows[0]).toEqual({ tenant_id: a.id, first_name: 'Anna' });
    });

    it("lists never show the other tenant's rows", async () => {
      const ids = (res: HttpResult) => res.body.items.map((x: { id: string }) => x.id);
      const aContacts = await api('GET', '/v1/contacts?limit=1000', a.apiKey);
      const bContacts = await api('GET', '/v1/contacts?limit=1000', b.apiKey);
      expect(ids(aContacts)).toContain(aContact.id);
      expect(ids(aContacts)).not.toContain(bContact.id);
      expect(ids(bContacts)).toContain(bContact.id);
      expect(ids(bContacts)).not.toContain(aContact.id);
      const aCampaigns = await api('GET', '/v1/campaigns?limit=1000', a.apiKey);
      const bCampaigns = await api('GET', '/v1/campaigns?limit=1000', b.apiKey);
      expect(ids(aCampaigns)).toContain(aCampaign.id);
      expect(ids(aCampaigns)).not.toContain(bCampaign.id);
      expect(ids(bCampaigns)).toContain(bCampaign.id);
      expect(ids(bCampaigns)).not.toContain(aCampaign.id);
      // A cursor taken from another tenant's id does not open its rows either.
      const cursorList = await api('GET', `/v1/contacts?cursor=00000000-0000-0000-0000-000000000000&limit=1000`, b.apiKey);
      expect(ids(cursorList)).not.toContain(aContact.id);
    });

    it.each([
      ['GET', '/v1/campaigns/not-a-uuid'],
      ['GET', '/v1/campaigns/123/messages'],
      ['POST', '/v1/campaigns/abc/execute'],
      ['GET', '/v1/contacts/not-a-uuid'],
      ['PATCH', '/v1/contacts/not-a-uuid'],
      ['DELETE', '/v1/contacts/42'],
      ['GET', '/v1/contacts/00000000-0000-0000-0000-00000000000g'],
    ])('a malformed id is 404 problem+json: %s %s', async (method, path) => {
      const body = method === 'PATCH' ? { firstName: 'X' } : undefined;
      expectProblem(await api(method, path, a.apiKey, body), 404);
    });
  });

  describe('malformed requests are 400 problem+json naming the field', () => {
    it('an invalid JSON body', async () => {
      const res = await raw('POST', '/v1/campaigns', a.apiKey, '{"name": "x", "channel": ');
      expectFieldError(res, 'body');
      const res2 = await raw('POST', '/v1/contacts/bulk', a.apiKey, '{"contacts": [}');
      expectFieldError(res2, 'body');
      const res3 = await raw('PATCH', `/v1/contacts/${aContact.id}`, a.apiKey, "{'firstName': 'x'}");
      expectFieldError(res3, 'body');
    });

    it('text PostgreSQL cannot store: a NUL character or half an emoji (a lone surrogate)', async () => {
      // JSON escapes reach the server as the characters themselves.
      expectFieldError(await raw('POST', '/v1/campaigns', a.apiKey, JSON.stringify(smsCampaign()).replace('"text":"', '"text":"\\ud83d')), 'sms.text');
      expectFieldError(await raw('POST', '/v1/contacts', a.apiKey, '{"firstName":"Ann\\u0000a"}'), 'firstName');
      const bulk = await raw('POST', '/v1/contacts/bulk', a.apiKey, '{"contacts":[{"externalId":"nul-ok","firstName":"Ok"},{"externalId":"nul-bad","lastName":"B\\u0000"}]}');
      expect(bulk.status).toBe(200);
      expect(bulk.body).toEqual({ upserted: 1, errors: [{ index: 1, field: 'lastName', reason: expect.stringContaining('NUL') }] });
    });

    it('a campaign with channel "fax"', async () => {
      expectFieldError(await api('POST', '/v1/campaigns', a.apiKey, smsCampaign({ channel: 'fax' })), 'channel');
    });

    it('an sms campaign without sms.text', async () => {
      expectFieldError(await api('POST', '/v1/campaigns', a.apiKey, smsCampaign({ sms: { from: 'Skolan' } })), 'sms.text');
    });

    it('an audience with neither all nor contactIds', async () => {
      for (const audience of [{}, { everyone: true }, { all: false }]) {
        const res = await api('POST', '/v1/campaigns', a.apiKey, smsCampaign({ audience }));
        expectFieldError(res, 'audience');
        // The reason says what is expected, not just "Invalid input".
        const reason = res.body.errors.find((e: { field: string }) => e.field === 'audience').reason;
        expect(reason).toContain('all');
        expect(reason).toContain('contactIds');
      }
      expectFieldError(await api('POST', '/v1/campaigns', a.apiKey, smsCampaign({ audience: { contactIds: [] } })), 'audience.contactIds');
      expectFieldError(await api('POST', '/v1/campaigns', a.apiKey, smsCampaign({ audience: { contactIds: ['x'] } })), 'audience.contactIds.0');
    });

    it("contactIds naming another tenant's contact", async () => {
      const res = await api('POST', '/v1/campaigns', b.apiKey, smsCampaign({ audience: { contactIds: [aContact.id] } }));
      expectFieldError(res, 'audience.contactIds.0');
      const mixed = await api('POST', '/v1/campaigns', b.apiKey, smsCampaign({ audience: { contactIds: [bContact.id, aContact.id] } }));
      expectFieldError(mixed, 'audience.contactIds.1');
      expect(mixed.body.errors.map((e: { field: string }) => e.field)).not.toContain('audience.contactIds.0');
      const n = await cluster.db.query('SELECT count(*)::int AS n FROM campaigns WHERE tenant_id = $1', [b.id]);
      expect(n.rows[0].n).toBe(1);
    });

    it('a bulk upsert of 10,001 contacts (and nothing is stored)', async () => {
      const before = (await cluster.db.query('SELECT count(*)::int AS n FROM contacts')).rows[0].n;
      const contacts = Array.from({ length: 10001 }, (_, i) => ({ externalId: `big-${i}`, firstName: `F${i}` }));
      expectFieldError(await api('POST', '/v1/contacts/bulk', a.apiKey, { contacts }), 'contacts');
      const after = (await cluster.db.query('SELECT count(*)::int AS n FROM contacts')).rows[0].n;
      expect(after).toBe(before);
    });

    it('bad query parameters', async () => {
      expectFieldError(await api('GET', '/v1/contacts?limit=0', a.apiKey), 'query.limit');
      expectFieldError(await api('GET', '/v1/campaigns?limit=0', a.apiKey), 'query.limit');
      expectFieldError(await api('GET', '/v1/contacts?cursor=not-a-uuid', a.apiKey), 'query.cursor');
      expectFieldError(await api('GET', '/v1/campaigns?cursor=not-a-uuid', a.apiKey), 'query.cursor');
      expectFieldError(await api('GET', `/v1/campaigns/${aCampaign.id}/messages?status=nope`, a.apiKey), 'query.status');
      expectFieldError(await api('GET', `/v1/campaigns/${aCampaign.id}/messages?limit=0`, a.apiKey), 'query.limit');
      expectFieldError(await api('GET', `/v1/campaigns/${aCampaign.id}/messages?cursor=not-a-uuid`, a.apiKey), 'query.cursor');
      // And the good forms are accepted.
      expect((await api('GET', `/v1/campaigns/${aCampaign.id}/messages?status=delivered&limit=5`, a.apiKey)).status).toBe(200);
    });

    it('a PATCH naming an unknown field', async () => {
      const res = await api('PATCH', `/v1/contacts/${aContact.id}`, a.apiKey, { nickname: 'Annie' });
      expectFieldError(res, 'nickname');
      const mixed = await api('PATCH', `/v1/contacts/${aContact.id}`, a.apiKey, { firstName: 'Changed', nickname: 'Annie' });
      expectFieldError(mixed, 'nickname');
      const row = await cluster.db.query('SELECT first_name FROM contacts WHERE id = $1', [aContact.id]);
      expect(row.rows[0].first_name).toBe('Anna');
    });
  });

  describe('contacts', () => {
    let tenant: { id: string; apiKey: string };

    beforeAll(async () => {
      tenant = await cluster.createTenant('Contacts school');
    });

    it('creates, reads, changes and deletes a contact', async () => {
      const created = await api('POST', '/v1/contacts', tenant.apiKey, {
        externalId: 'crud-1',
        firstName: 'Karin',
        lastName: 'Larsson',
        phone: '070-123 45 67',
        email: 'Karin@Example.com',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: expect.stringMatching(UUID),
        externalId: 'crud-1',
        firstName: 'Karin',
        lastName: 'Larsson',
        phone: '070-123 45 67',
        phoneE164: '+46701234567',
        phoneType: 'MOBILE',
        email: 'Karin@Example.com',
      });
      const id = created.body.id;

      const got = await api('GET', `/v1/contacts/${id}`, tenant.apiKey);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(created.body);

      const patched = await api('PATCH', `/v1/contacts/${id}`, tenant.apiKey, { lastName: 'Berg', phone: '08-123 456 78' });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id, firstName: 'Karin', lastName: 'Berg', phone: '08-123 456 78', phoneE164: '+46812345678', phoneType: 'FIXED_LINE' });
      const reread = await api('GET', `/v1/contacts/${id}`, tenant.apiKey);
      expect(reread.body.lastName).toBe('Berg');
      const row = await cluster.db.query('SELECT last_name, phone_e164 FROM contacts WHERE id = $1', [id]);
      expect(row.rows[0]).toEqual({ last_name: 'Berg', phone_e164: '+46812345678' });

      const deleted = await cluster.http('api', 'DELETE', `/v1/contacts/${id}`, { token: tenant.apiKey });
      expect(deleted.status).toBe(204);
      expect(deleted.body).toBeNull();
      expectProblem(await api('GET', `/v1/contacts/${id}`, tenant.apiKey), 404);
      expectProblem(await api('DELETE', `/v1/contacts/${id}`, tenant.apiKey), 404);
      expect((await cluster.db.query('SELECT 1 FROM contacts WHERE id = $1', [id])).rows).toHaveLength(0);
    });

    it('keeps a contact with an unusable phone (never refused)', async () => {
      const res = await api('POST', '/v1/contacts', tenant.apiKey, { externalId: 'bad-phone', phone: '12', email: 'not-an-email' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ phone: '12', phoneE164: null, phoneType: 'INVALID', email: 'not-an-email' });
      expect((await cluster.http('api', 'DELETE', `/v1/contacts/${res.body.id}`, { token: tenant.apiKey })).status).toBe(204);
    });

    it('pages the list with limit and cursor', async () => {
      const pager = await cluster.createTenant('Pager school');
      const made: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await api('POST', '/v1/contacts', pager.apiKey, { externalId: `p-${i}`, firstName: `P${i}` });
        expect(r.status).toBe(201);
        made.push(r.body.id);
      }
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      for (let guard = 0; guard < 10; guard++) {
        const res: HttpResult = await api('GET', `/v1/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`, pager.apiKey);
        expect(res.status).toBe(200);
        expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
        sizes.push(res.body.items.length);
        seen.push(...res.body.items.map((c: { id: string }) => c.id));
        cursor = res.body.nextCursor;
        if (!cursor) break;
        expect(cursor).toMatch(UUID);
      }
      expect(sizes).toEqual([2, 2, 1]);
      expect(new Set(seen).size).toBe(5);
      expect([...seen].sort()).toEqual([...made].sort());
      const all = await api('GET', '/v1/contacts?limit=5', pager.apiKey);
      expect(all.body.items).toHaveLength(5);
      expect(all.body.nextCursor).toBeNull();
    });

    it('bulk upsert keeps good rows, reports bad ones, and updates by externalId on a second call', async () => {
      const bulk = await cluster.createTenant('Bulk school');
      const first = await api('POST', '/v1/contacts/bulk', bulk.apiKey, {
        contacts: [
          { externalId: 'e-1', firstName: 'Ada', phone: '070-123 45 67' },
          { externalId: 42, firstName: 'Bad id' },
          { externalId: 'e-2', firstName: 'Bo', email: 'bo@example.com' },
          { externalId: 'e-3', firstName: 'x'.repeat(201) },
          'not a contact',
        ],
      });
      expect(first.status).toBe(200);
      expect(first.body.upserted).toBe(2);
      expect(first.body.errors).toHaveLength(3);
      for (const e of first.body.errors) expect(e).toEqual({ index: expect.any(Number), field: expect.any(String), reason: expect.any(String) });
      expect(first.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ index: 1, field: 'externalId' }),
          expect.objectContaining({ index: 3, field: 'firstName' }),
          expect.objectContaining({ index: 4 }),
        ]),
      );
      const rows1 = await cluster.db.query('SELECT external_id, first_name, phone_e164 FROM contacts WHERE tenant_id = $1 ORDER BY external_id', [bulk.id]);
      expect(rows1.rows).toEqual([
        { external_id: 'e-1', first_name: 'Ada', phone_e164: '+46701234567' },
        { external_id: 'e-2', first_name: 'Bo', phone_e164: null },
      ]);
      const ids1 = (await cluster.db.query('SELECT id, external_id FROM contacts WHERE tenant_id = $1 ORDER BY external_id', [bulk.id])).rows;

      const second = await api('POST', '/v1/contacts/bulk', bulk.apiKey, {
        contacts: [
          { externalId: 'e-1', firstName: 'Ada2', phone: '+46 70 765 43 21' },
          { externalId: 'e-2', firstName: 'Bo2' },
          { externalId: 'e-4', firstName: 'Dag' },
        ],
      });
      expect(second.status).toBe(200);
      expect(second.body).toEqual({ upserted: 3, errors: [] });
      const rows2 = await cluster.db.query('SELECT id, external_id, first_name, phone_e164 FROM contacts WHERE tenant_id = $1 ORDER BY external_id', [bulk.id]);
      expect(rows2.rows.map((r) => [r.external_id, r.first_name, r.phone_e164])).toEqual([
        ['e-1', 'Ada2', '+46707654321'],
        ['e-2', 'Bo2', null],
        ['e-4', 'Dag', null],
      ]);
      // Same rows, updated in place.
      expect(rows2.rows.slice(0, 2).map((r) => r.id)).toEqual(ids1.map((r) => r.id));
      const count = await cluster.db.query('SELECT count(*)::int AS n FROM contacts WHERE tenant_id = $1', [bulk.id]);
      expect(count.rows[0].n).toBe(3);

      // An externalId is per tenant: another tenant's same externalId is its own row.
      const other = await api('POST', '/v1/contacts/bulk', b.apiKey, { contacts: [{ externalId: 'e-1', firstName: 'Not Ada' }] });
      expect(other.body).toEqual({ upserted: 1, errors: [] });
      const ada = await cluster.db.query(`SELECT first_name FROM contacts WHERE tenant_id = $1 AND external_id = 'e-1'`, [bulk.id]);
      expect(ada.rows[0].first_name).toBe('Ada2');
    });

    it('bulk without contacts is 400 naming the field', async () => {
      expectFieldError(await api('POST', '/v1/contacts/bulk', tenant.apiKey, {}), 'contacts');
      expectFieldError(await api('POST', '/v1/contacts/bulk', tenant.apiKey, { contacts: [] }), 'contacts');
    });

    it('a PATCH taking an externalId another contact holds is refused without a 500', async () => {
      const one = await api('POST', '/v1/contacts', tenant.apiKey, { externalId: 'dup-1', firstName: 'One' });
      const two = await api('POST', '/v1/contacts', tenant.apiKey, { externalId: 'dup-2', firstName: 'Two' });
      const res = await api('PATCH', `/v1/contacts/${two.body.id}`, tenant.apiKey, { externalId: 'dup-1' });
      expectProblem(res, 409);
      expect(res.body.errors?.map((e: { field: string }) => e.field)).toContain('externalId');
      const rows = await cluster.db.query('SELECT id, external_id FROM contacts WHERE id = ANY($1::uuid[]) ORDER BY external_id', [[one.body.id, two.body.id]]);
      expect(rows.rows.map((r) => r.external_id)).toEqual(['dup-1', 'dup-2']);
    });
  });

  describe('campaign basics and documentation', () => {
    it('creates a draft with empty counts and lists it', async () => {
      const created = await api('POST', '/v1/campaigns', a.apiKey, smsCampaign({ name: 'Basics' }));
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: expect.stringMatching(UUID),
        name: 'Basics',
        channel: 'sms',
        status: 'draft',
        audience: { all: true },
        sms: { from: 'Skolan', text: 'School starts on Monday.' },
        counts: {},
      });
      expect(created.body.counts).toEqual({});
      const got = await api('GET', `/v1/campaigns/${created.body.id}`, a.apiKey);
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ id: created.body.id, status: 'draft', counts: {} });
      const list = await api('GET', '/v1/campaigns', a.apiKey);
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ items: expect.any(Array), nextCursor: null });
      const listed = list.body.items.find((c: { id: string }) => c.id === created.body.id);
      expect(listed).toMatchObject({ name: 'Basics', status: 'draft', counts: {} });
      const messages = await api('GET', `/v1/campaigns/${created.body.id}/messages`, a.apiKey);
      expect(messages.status).toBe(200);
      expect(messages.body).toEqual({ items: [], nextCursor: null });
    });

    it('creates an e-mail campaign for named contacts', async () => {
      const res = await api('POST', '/v1/campaigns', a.apiKey, {
        name: 'Mail',
        channel: 'email',
        audience: { contactIds: [aContact.id.toUpperCase()] },
        email: { subject: 'Hej', text: 'Hej!' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ channel: 'email', status: 'draft', audience: { contactIds: [aContact.id] }, counts: {} });
    });

    it('serves /openapi.json and /docs', async () => {
      const doc = await cluster.http('api', 'GET', '/openapi.json');
      expect(doc.status).toBe(200);
      expect(typeof doc.body).toBe('object');
      expect(doc.body.openapi).toMatch(/^3\./);
      expect(doc.body.paths['/v1/campaigns']).toBeDefined();
      expect(doc.body.paths['/v1/campaigns'].post).toBeDefined();
      expect(doc.body.paths['/v1/contacts/bulk']).toBeDefined();
      const docs = await fetch(cluster.url('api', '/docs'));
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toMatch(/text\/html/);
      expect(await docs.text()).toMatch(/<html/i);
    });

    it('an unknown route is 404 problem+json', async () => {
      expectProblem(await api('GET', '/v1/nothing-here', a.apiKey), 404);
    });
  });
});
