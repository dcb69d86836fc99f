import { mobile, TestCluster } from '../support/test-cluster';

/** Senders and address books through the API: validation, tenant scope, conflicts that name nobody. */
describe('senders and address books API', () => {
  let cluster: TestCluster;
  let t1: { id: string; apiKey: string };
  let t2: { id: string; apiKey: string };
  let t1Contacts: string[];
  let t2Contact: string;

  beforeAll(async () => {
    cluster = await TestCluster.start('audiences', {}, ['api']);
    t1 = await cluster.createTenant('Skola Ett', { senders: [] });
    t2 = await cluster.createTenant('Klubb Två', { senders: [] });
    for (let i = 0; i < 3; i++) {
      const res = await cluster.api('POST', '/v1/contacts', t1.apiKey, { externalId: `a-${i}`, phone: mobile(i) });
      expect(res.status).toBe(201);
    }
    t1Contacts = (await cluster.db.query('SELECT id FROM contacts WHERE tenant_id = $1 ORDER BY id', [t1.id])).rows.map((r) => r.id);
    t2Contact = (await cluster.api('POST', '/v1/contacts', t2.apiKey, { externalId: 'b-0', phone: mobile(9) })).body.id;
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  const sender = (apiKey: string, body: unknown) => cluster.api('POST', '/v1/senders', apiKey, body);

  describe('senders', () => {
    it('registers each kind in its normal form', async () => {
      const alpha = await sender(t1.apiKey, { kind: 'alphanumeric', value: ' Skolan 2 ' });
      expect(alpha.status).toBe(201);
      expect(alpha.body).toEqual({ id: expect.any(String), kind: 'alphanumeric', value: 'Skolan 2', keyword: null, createdAt: expect.any(String) });
      const reply = await sender(t1.apiKey, { kind: 'reply_number', value: '076-686 00 01' });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ kind: 'reply_number', value: '+46766860001', keyword: null });
      const code = await sender(t1.apiKey, { kind: 'short_code', value: '72080', keyword: 'skola' });
      expect(code.status).toBe(201);
      expect(code.body).toMatchObject({ kind: 'short_code', value: '72080', keyword: 'SKOLA' });
      const list = await cluster.api('GET', '/v1/senders', t1.apiKey);
      expect(list.status).toBe(200);
      expect(list.body.items.map((s: { value: string }) => s.value)).toEqual(['Skolan 2', '+46766860001', '72080']);
      expect(list.body.nextCursor).toBeNull();
      const page = await cluster.api('GET', '/v1/senders?limit=2', t1.apiKey);
      expect(page.body.items).toHaveLength(2);
      const rest = await cluster.api('GET', `/v1/senders?limit=2&cursor=${page.body.nextCursor}`, t1.apiKey);
      expect(rest.body.items.map((s: { value: string }) => s.value)).toEqual(['72080']);
    });

    it.each([
      [{ kind: 'alphanumeric', value: 'Tolv tecken!' }, 'value'],
      [{ kind: 'alphanumeric', value: '123456' }, 'value'],
      [{ kind: 'alphanumeric', value: 'Skolan', keyword: 'X' }, 'keyword'],
      [{ kind: 'short_code', value: '72080' }, 'keyword'],
      [{ kind: 'short_code', value: '72', keyword: 'A' }, 'value'],
      [{ kind: 'reply_number', value: '12' }, 'value'],
      [{ kind: 'carrier_pigeon', value: 'x' }, 'kind'],
    ])('refuses %j naming %s', async (body, field) => {
      const res = await sender(t1.apiKey, body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    });

    it('answers 409 for a sender already taken, without naming who holds it', async () => {
      const again = await sender(t1.apiKey, { kind: 'reply_number', value: '+46766860001' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('sender_exists');
      for (const body of [
        { kind: 'reply_number', value: '0766860001' },
        { kind: 'short_code', value: '72080', keyword: 'Skola' },
      ]) {
        const res = await sender(t2.apiKey, body);
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('sender_unavailable');
        expect(JSON.stringify(res.body)).not.toMatch(new RegExp(`${t1.id}|Skola Ett`, 'i'));
      }
      // A shared short code is told apart by its keyword; a text sender is only unique per tenant.
      expect((await sender(t2.apiKey, { kind: 'short_code', value: '72080', keyword: 'KLUBB' })).status).toBe(201);
      expect((await sender(t2.apiKey, { kind: 'alphanumeric', value: 'Skolan 2' })).status).toBe(201);
    });

    it("deletes only the tenant's own sender; a book using it is left without one", async () => {
      const s = await sender(t1.apiKey, { kind: 'alphanumeric', value: 'Tillfallig' });
      const book = await cluster.api('POST', '/v1/address-books', t1.apiKey, { name: 'Personal', senderId: s.body.id });
      expect(book.body.senderId).toBe(s.body.id);
      expect((await cluster.api('DELETE', `/v1/senders/${s.body.id}`, t2.apiKey)).status).toBe(404);
      expect((await cluster.api('DELETE', `/v1/senders/${s.body.id}`, t1.apiKey)).status).toBe(204);
      expect((await cluster.api('DELETE', `/v1/senders/${s.body.id}`, t1.apiKey)).status).toBe(404);
      expect((await cluster.api('GET', `/v1/address-books/${book.body.id}`, t1.apiKey)).body.senderId).toBeNull();
    });
  });

  describe('address books', () => {
    let bookId: string;

    it('creates a book with opt-out text and marketing on by default', async () => {
      const res = await cluster.api('POST', '/v1/address-books', t1.apiKey, { name: 'Föräldrar' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'Föräldrar', senderId: null, optOutText: true, marketing: true, memberCount: 0 });
      bookId = res.body.id;
      const off = await cluster.api('POST', '/v1/address-books', t1.apiKey, { name: 'Personal', optOutText: false, marketing: false });
      expect(off.body).toMatchObject({ optOutText: false, marketing: false });
      const list = await cluster.api('GET', '/v1/address-books', t1.apiKey);
      expect(list.body.items.map((b: { id: string }) => b.id)).toContain(bookId);
      expect((await cluster.api('GET', '/v1/address-books', t2.apiKey)).body.items).toEqual([]);
    });

    it("refuses another tenant's sender and hides another tenant's book", async () => {
      const t2Sender = (await cluster.api('GET', '/v1/senders', t2.apiKey)).body.items[0].id;
      const res = await cluster.api('POST', '/v1/address-books', t1.apiKey, { name: 'X', senderId: t2Sender });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'senderId', reason: 'no such sender' }]);
      const patch = await cluster.api('PATCH', `/v1/address-books/${bookId}`, t1.apiKey, { senderId: t2Sender });
      expect(patch.status).toBe(400);
      expect((await cluster.api('GET', `/v1/address-books/${bookId}`, t2.apiKey)).status).toBe(404);
      expect((await cluster.api('PATCH', `/v1/address-books/${bookId}`, t2.apiKey, { name: 'Stulen' })).status).toBe(404);
      expect((await cluster.api('POST', `/v1/address-books/${bookId}/contacts`, t2.apiKey, { contactIds: [t2Contact] })).status).toBe(404);
      expect((await cluster.api('GET', `/v1/address-books/${bookId}/contacts`, t2.apiKey)).status).toBe(404);
      expect((await cluster.api('GET', '/v1/address-books/not-a-uuid', t1.apiKey)).status).toBe(404);
    });

    it('updates name, sender and switches', async () => {
      const own = (await cluster.api('GET', '/v1/senders', t1.apiKey)).body.items[0].id;
      const res = await cluster.api('PATCH', `/v1/address-books/${bookId}`, t1.apiKey, { name: 'Vårdnadshavare', senderId: own, optOutText: false });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'Vårdnadshavare', senderId: own, optOutText: false, marketing: true });
      const cleared = await cluster.api('PATCH', `/v1/address-books/${bookId}`, t1.apiKey, { senderId: null, optOutText: true });
      expect(cleared.body).toMatchObject({ senderId: null, optOutText: true });
      expect((await cluster.api('PATCH', `/v1/address-books/${bookId}`, t1.apiKey, {})).status).toBe(400);
      expect((await cluster.api('PATCH', `/v1/address-books/${bookId}`, t1.apiKey, { colour: 'red' })).body.errors).toEqual([
        { field: 'colour', reason: 'is not a known field' },
      ]);
    });

    it("adds the tenant's own contacts idempotently and names unknown ones by position", async () => {
      const bad = await cluster.api('POST', `/v1/address-books/${bookId}/contacts`, t1.apiKey, {
        contactIds: [t1Contacts[0], t2Contact, '00000000-0000-7000-8000-000000000000'],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([
        { field: 'contactIds.1', reason: 'no such contact' },
        { field: 'contactIds.2', reason: 'no such contact' },
      ]);
      expect((await cluster.api('GET', `/v1/address-books/${bookId}`, t1.apiKey)).body.memberCount).toBe(0);
      const added = await cluster.api('POST', `/v1/address-books/${bookId}/contacts`, t1.apiKey, { contactIds: t1Contacts });
      expect(added.status).toBe(200);
      expect(added.body).toEqual({ added: 3 });
      const again = await cluster.api('POST', `/v1/address-books/${bookId}/contacts`, t1.apiKey, { contactIds: [t1Contacts[0].toUpperCase(), t1Contacts[1]] });
      expect(again.body).toEqual({ added: 0 });
      expect((await cluster.api('GET', `/v1/address-books/${bookId}`, t1.apiKey)).body.memberCount).toBe(3);
      const tooMany = await cluster.api('POST', `/v1/address-books/${bookId}/contacts`, t1.apiKey, { contactIds: Array(10001).fill(t1Contacts[0]) });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.errors[0].field).toBe('contactIds');
    });

    it('lists members page by page and removes one', async () => {
      const first = await cluster.api('GET', `/v1/address-books/${bookId}/contacts?limit=2`, t1.apiKey);
      expect(first.status).toBe(200);
      expect(first.body.items.map((c: { id: string }) => c.id)).toEqual(t1Contacts.slice(0, 2));
      expect(first.body.items[0]).toMatchObject({ phoneE164: mobile(0) });
      const second = await cluster.api('GET', `/v1/address-books/${bookId}/contacts?limit=2&cursor=${first.body.nextCursor}`, t1.apiKey);
      expect(second.body).toEqual({ items: [expect.objectContaining({ id: t1Contacts[2] })], nextCursor: null });
      expect((await cluster.api('DELETE', `/v1/address-books/${bookId}/contacts/${t1Contacts[1]}`, t2.apiKey)).status).toBe(404);
      expect((await cluster.api('DELETE', `/v1/address-books/${bookId}/contacts/${t1Contacts[1]}`, t1.apiKey)).status).toBe(204);
      expect((await cluster.api('DELETE', `/v1/address-books/${bookId}/contacts/${t1Contacts[1]}`, t1.apiKey)).status).toBe(404);
      const left = await cluster.api('GET', `/v1/address-books/${bookId}/contacts`, t1.apiKey);
      expect(left.body.items.map((c: { id: string }) => c.id)).toEqual([t1Contacts[0], t1Contacts[2]]);
    });
  });
});
