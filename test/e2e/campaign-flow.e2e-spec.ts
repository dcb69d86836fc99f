import { mobile, TestCluster } from '../support/test-cluster';
import { waitFor } from '../support/test-env';

/**
 * The spine end to end: API → JetStream → scheduler fan-out → workers → sandbox providers →
 * signed callbacks → status-ingest → ledger, on the real PostgreSQL and NATS.
 */
describe('campaign flow through all six services', () => {
  let cluster: TestCluster;
  let tenant: { id: string; apiKey: string };

  beforeAll(async () => {
    cluster = await TestCluster.start('flow');
    tenant = await cluster.createTenant('Flow school');
    await cluster.seedContacts(tenant.apiKey, 1000, (i) => ({
      externalId: `c-${i}`,
      firstName: `First${i}`,
      lastName: `Last${i}`,
      phone: mobile(i),
      email: `person${i}@example.com`,
    }));
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('serves /health/live, /health/ready and /metrics on every service', async () => {
    for (const name of cluster.processes.keys()) {
      expect((await cluster.http(name, 'GET', '/health/live')).status).toBe(200);
      const ready = await cluster.http(name, 'GET', '/health/ready');
      expect(ready.status).toBe(200);
      const metrics = await cluster.http(name, 'GET', '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.body).toContain('process_resident_memory_bytes');
    }
    const worker = await cluster.http('sms-worker', 'GET', '/metrics');
    expect(worker.body).toContain('utskick_breaker_state');
  });

  it('delivers a 1,000-recipient SMS campaign, one provider submission per message', async () => {
    await cluster.http('provider-sandbox', 'POST', '/sandbox/reset');
    const created = await cluster.api('POST', '/v1/campaigns', tenant.apiKey, {
      name: 'Term starts',
      channel: 'sms',
      audience: { all: true },
      sms: { from: 'Skolan', text: 'School starts on Monday at 08:00.' },
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('draft');
    const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const exec = await cluster.api('POST', `/v1/campaigns/${created.body.id}/execute`, tenant.apiKey, undefined, {
      traceparent: `00-${traceId}-1122334455667788-01`,
    });
    expect(exec.status).toBe(202);
    expect(['queued', 'dispatching', 'completed']).toContain(exec.body.status);

    const done = await cluster.waitCompleted(tenant.apiKey, created.body.id, 120_000, (c) => c.counts.delivered === 1000);
    expect(done.counts).toEqual({ delivered: 1000 });
    const stats = await cluster.sandboxStats();
    expect(stats.sms).toEqual({ accepted: 1000, unique: 1000 });

    // The caller's trace crossed NATS twice (API → scheduler → worker) and reached the provider.
    const sent = await cluster.http('provider-sandbox', 'GET', '/sandbox/sms?limit=5');
    expect(sent.body.items.length).toBeGreaterThan(0);
    for (const item of sent.body.items) expect(item.traceparent).toContain(traceId);

    // The per-recipient log: filter, page, and the provider's id recorded.
    const page1 = await cluster.api('GET', `/v1/campaigns/${created.body.id}/messages?status=delivered&limit=400`, tenant.apiKey);
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(400);
    expect(page1.body.items[0]).toMatchObject({ status: 'delivered', provider: 'twilio', error: null });
    expect(page1.body.items[0].to).toMatch(/^\+4670\d{7}$/);
    expect(page1.body.items[0].sentAt).toBeTruthy();
    expect(page1.body.items[0].providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    const page3 = await cluster.api('GET', `/v1/campaigns/${created.body.id}/messages?status=delivered&limit=400&cursor=${page1.body.nextCursor}`, tenant.apiKey);
    const page3b = await cluster.api('GET', `/v1/campaigns/${created.body.id}/messages?limit=400&cursor=${page3.body.nextCursor}`, tenant.apiKey);
    expect(page3.body.items).toHaveLength(400);
    expect(page3b.body.items).toHaveLength(200);
    expect(page3b.body.nextCursor).toBeNull();
    const ids = new Set([...page1.body.items, ...page3.body.items, ...page3b.body.items].map((m: { contactId: string }) => m.contactId));
    expect(ids.size).toBe(1000);

    // Every status change is an event row.
    const events = await cluster.db.query(
      `SELECT e.status, count(*)::int AS n FROM message_events e JOIN messages m ON m.id = e.message_id
        WHERE m.campaign_id = $1 GROUP BY e.status`,
      [created.body.id],
    );
    expect(Object.fromEntries(events.rows.map((r) => [r.status, r.n]))).toEqual({ sent: 1000, delivered: 1000 });
  });

  it('delivers a 1,000-recipient e-mail campaign over SMTP, one submission per message', async () => {
    await cluster.http('provider-sandbox', 'POST', '/sandbox/reset');
    const created = await cluster.api('POST', '/v1/campaigns', tenant.apiKey, {
      name: 'Newsletter',
      channel: 'email',
      audience: { all: true },
      email: { subject: 'Höstens nyheter', text: 'Hej! Här är nyheterna.', html: '<p>Hej! Här är nyheterna.</p>' },
    });
    expect(created.status).toBe(201);
    expect((await cluster.api('POST', `/v1/campaigns/${created.body.id}/execute`, tenant.apiKey)).status).toBe(202);
    const done = await cluster.waitCompleted(tenant.apiKey, created.body.id, 120_000, (c) => c.counts.delivered === 1000);
    expect(done.counts).toEqual({ delivered: 1000 });
    expect((await cluster.sandboxStats()).email).toEqual({ accepted: 1000, unique: 1000 });
  });

  it('a repeated execute answers the same campaign and sends nothing twice', async () => {
    await cluster.http('provider-sandbox', 'POST', '/sandbox/reset');
    const ids = (await cluster.db.query('SELECT id FROM contacts ORDER BY id LIMIT 50')).rows.map((r) => r.id);
    const created = await cluster.api('POST', '/v1/campaigns', tenant.apiKey, {
      name: 'Once only',
      channel: 'sms',
      audience: { contactIds: ids },
      sms: { from: 'Skolan', text: 'Only once' },
    });
    const path = `/v1/campaigns/${created.body.id}/execute`;
    const answers = await Promise.all([
      cluster.api('POST', path, tenant.apiKey, undefined, { 'Idempotency-Key': 'k-1' }),
      cluster.api('POST', path, tenant.apiKey, undefined, { 'Idempotency-Key': 'k-1' }),
      cluster.api('POST', path, tenant.apiKey),
    ]);
    for (const a of answers) {
      expect(a.status).toBe(202);
      expect(a.body.id).toBe(created.body.id);
    }
    await cluster.waitCompleted(tenant.apiKey, created.body.id, 60_000, (c) => c.counts.delivered === 50);
    const again = await cluster.api('POST', path, tenant.apiKey, undefined, { 'Idempotency-Key': 'k-1' });
    expect(again.status).toBe(202);
    expect(again.body.status).toBe('completed');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await cluster.sandboxStats()).sms).toEqual({ accepted: 50, unique: 50 });
    expect(await cluster.statusCounts(created.body.id)).toEqual({ delivered: 50 });
  });

  it('records skip statuses for contacts that cannot receive, and one message per distinct address', async () => {
    const extra = await cluster.api('POST', '/v1/contacts/bulk', tenant.apiKey, {
      contacts: [
        { externalId: 'skip-nophone', firstName: 'No', lastName: 'Phone' },
        { externalId: 'skip-landline', firstName: 'Land', lastName: 'Line', phone: '08-123 456 78' },
        { externalId: 'skip-dup', firstName: 'Same', lastName: 'Number', phone: mobile(0).replace('+46', '0') },
      ],
    });
    expect(extra.body).toEqual({ upserted: 3, errors: [] });
    const ids = (await cluster.db.query(`SELECT id FROM contacts WHERE external_id IN ('c-0', 'skip-nophone', 'skip-landline', 'skip-dup')`)).rows.map((r) => r.id);
    const id = await cluster.launch(tenant.apiKey, { name: 'Skips', channel: 'sms', audience: { contactIds: ids }, sms: { from: 'Skolan', text: 'Skip test' } });
    const done = await cluster.waitCompleted(tenant.apiKey, id, 60_000, (c) => c.counts.delivered === 1);
    expect(done.counts).toEqual({ delivered: 1, no_primary_phone: 1, cannot_receive_sms: 1, duplicate_address: 1 });
  });

  it('never puts more than one plain address on an e-mail envelope: lists and bare names are no_email, international domains go out', async () => {
    const other = await cluster.createTenant('Address hygiene');
    const bulk = await cluster.api('POST', '/v1/contacts/bulk', other.apiKey, {
      contacts: [
        { externalId: 'ok', email: 'Ok.Person@Example.com' },
        { externalId: 'idn', email: 'åsa@bücher.de' },
        { externalId: 'list', email: 'a@example.com, b@example.com' },
        { externalId: 'name', email: 'Anna Svensson' },
        { externalId: 'none' },
      ],
    });
    expect(bulk.body.upserted).toBe(5);
    await cluster.http('provider-sandbox', 'POST', '/sandbox/reset');
    const id = await cluster.launch(other.apiKey, { name: 'Hygiene', channel: 'email', audience: { all: true }, email: { subject: 'Hej', text: 'Hej' } });
    const done = await cluster.waitCompleted(other.apiKey, id, 60_000, (c) => c.counts.delivered === 2);
    expect(done.counts).toEqual({ delivered: 2, no_email: 3 });
    expect((await cluster.sandboxStats()).email).toEqual({ accepted: 2, unique: 2 });
    const mails = await cluster.http('provider-sandbox', 'GET', '/sandbox/emails?limit=5');
    const envelopes = mails.body.items.map((m: { to: string[] }) => m.to);
    expect(envelopes).toHaveLength(2);
    expect(envelopes).toContainEqual(['ok.person@example.com']);
    expect(envelopes.every((to: string[]) => to.length === 1)).toBe(true);
  });

  it('finishes an idle campaign with no recipients at once', async () => {
    const other = await cluster.createTenant('Empty tenant');
    const created = await cluster.api('POST', '/v1/campaigns', other.apiKey, {
      name: 'Nobody',
      channel: 'email',
      audience: { all: true },
      email: { subject: 'x', text: 'y' },
    });
    await cluster.api('POST', `/v1/campaigns/${created.body.id}/execute`, other.apiKey);
    const done = await waitFor('empty campaign completed', async () => {
      const c = await cluster.api('GET', `/v1/campaigns/${created.body.id}`, other.apiKey);
      return c.body.status === 'completed' ? c.body : null;
    });
    expect(done.counts).toEqual({});
  });
});
