import { TestCluster } from '../support/test-cluster';

/**
 * Who a bulk e-mail goes to, as the fan-out decides it (read through the estimate, which walks the
 * audience with the same function): opt-outs by book or tenant, the global list, address Problems,
 * and Confirmed-only sending when the tenant requires it for marketing mail.
 */
describe('e-mail audience rules', () => {
  let cluster: TestCluster;
  let t: { id: string; apiKey: string };
  let bookA: string;
  let bookStaff: string;

  beforeAll(async () => {
    cluster = await TestCluster.start('email_audience', {}, ['api']);
    t = await cluster.createTenant('Förening');
    const people = ['confirmed', 'fresh', 'bounced', 'unsubscribed', 'book-opt-out', 'blocked'].map((k) => ({ externalId: k, firstName: k, email: `${k}@example.com` }));
    expect((await cluster.api('POST', '/v1/contacts/bulk', t.apiKey, { contacts: people })).body.errors).toEqual([]);
    const ids = Object.fromEntries((await cluster.db.query('SELECT external_id, id FROM contacts WHERE tenant_id = $1', [t.id])).rows.map((r) => [r.external_id, r.id]));
    bookA = (await cluster.api('POST', '/v1/address-books', t.apiKey, { name: 'Medlemmar' })).body.id;
    bookStaff = (await cluster.api('POST', '/v1/address-books', t.apiKey, { name: 'Personal', marketing: false })).body.id;
    for (const book of [bookA, bookStaff]) {
      await cluster.api('POST', `/v1/address-books/${book}/contacts`, t.apiKey, { contactIds: [ids.confirmed, ids.fresh, ids['book-opt-out']] });
    }
    const status = (address: string, s: string, problem: string | null) =>
      cluster.db.query(`INSERT INTO email_addresses (tenant_id, address, status, problem) VALUES ($1, $2, $3, $4)`, [t.id, address, s, problem]);
    await status('confirmed@example.com', 'confirmed', null);
    await status('bounced@example.com', 'problem', 'bounced');
    await status('unsubscribed@example.com', 'problem', 'unsubscribed');
    await cluster.db.query(`INSERT INTO opt_outs (tenant_id, channel, address, book_id, source) VALUES ($1, 'email', 'book-opt-out@example.com', $2, 'test')`, [t.id, bookA]);
    await cluster.db.query(`INSERT INTO suppressions (channel, address, reason, source) VALUES ('email', 'blocked@example.com', 'hard_bounce', 'test')`);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  async function estimate(audience: Record<string, unknown>, email: Record<string, unknown> = {}) {
    const c = await cluster.api('POST', '/v1/campaigns', t.apiKey, { name: 'Nyhetsbrev', channel: 'email', audience, email: { subject: 'Hej', text: 'Nyheter', ...email } });
    expect(c.status).toBe(201);
    const e = await cluster.api('POST', `/v1/campaigns/${c.body.id}/estimate`, t.apiKey);
    expect(e.status).toBe(200);
    return e.body;
  }

  it('skips Problem addresses (an unsubscribe as opted_out), the global list, and a book opt-out only in that book', async () => {
    expect(await estimate({ all: true })).toMatchObject({ recipients: 3, excluded: { suppressed: 2, opted_out: 1 }, parts: 0, cost: { amount: 0 } });
    expect(await estimate({ addressBookId: bookA })).toMatchObject({ recipients: 2, excluded: { opted_out: 1 } });
  });

  it('sends bulk mail to Confirmed addresses only when the tenant requires it; transactional mail is not held back', async () => {
    expect((await cluster.api('PATCH', '/v1/settings', t.apiKey, { requireConfirmedEmail: true })).status).toBe(200);
    try {
      expect(await estimate({ all: true })).toMatchObject({ recipients: 1, excluded: { unconfirmed: 2, suppressed: 2, opted_out: 1 } });
      expect(await estimate({ all: true }, { marketing: false })).toMatchObject({ recipients: 3, excluded: { suppressed: 2, opted_out: 1 } });
      // A book that is not for marketing (staff information) is transactional too.
      expect(await estimate({ addressBookId: bookStaff })).toMatchObject({ recipients: 3, excluded: {} });
    } finally {
      await cluster.api('PATCH', '/v1/settings', t.apiKey, { requireConfirmedEmail: false });
    }
  });

  it("refuses to change a layout's content while a campaign using it is being sent; its name, and drafts, may change", async () => {
    const layout = await cluster.api('POST', '/v1/email/layouts', t.apiKey, { name: 'Brevmall', text: 'Hej!\n#CUSTOMTEXT#\nHälsningar' });
    expect(layout.status).toBe(201);
    const make = async () =>
      (await cluster.api('POST', '/v1/campaigns', t.apiKey, { name: 'Med mall', channel: 'email', audience: { all: true }, email: { subject: 'Hej', text: 'Nyheter', layoutId: layout.body.id } })).body.id;
    await make();
    const edit = (body: unknown) => cluster.api('PATCH', `/v1/email/layouts/${layout.body.id}`, t.apiKey, body);
    expect((await edit({ text: 'Hej igen!\n#CUSTOMTEXT#' })).status).toBe(200); // only a draft uses it
    // This cluster has no scheduler: an executed campaign stays queued, about to be sent.
    expect((await cluster.api('POST', `/v1/campaigns/${await make()}/execute`, t.apiKey)).status).toBe(202);
    const refused = await edit({ text: 'Annat\n#CUSTOMTEXT#' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('layout_in_use');
    expect((await edit({ name: 'Brevmall 2' })).status).toBe(200);
  });
});
