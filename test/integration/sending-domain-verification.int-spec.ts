import { CreateSendingDomain, dnsTxtResolver, generateDkimKey, loadMailIdentities, SendingDomainsRepository, SendingDomainView, VerifySendingDomain } from '@utskick/email';
import { DomainError } from '@utskick/http';
import { openLedger, TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { startDnsServer, TestDnsServer } from '../support/dns-server';
import { dropDatabase, uniqueNames } from '../support/test-env';

/** Verifying a sending domain against a real (test) name server and PostgreSQL, and what mail then uses. */
describe('sending domain verification through DNS', () => {
  const names = uniqueNames('domain_verify');
  const secret = 'a-domain-key-secret-of-the-test';
  let ds: DataSource;
  let dns: TestDnsServer;
  let verify: VerifySendingDomain;
  let create: CreateSendingDomain;
  let tenant: TenantId;
  let other: TenantId;

  beforeAll(async () => {
    Object.assign(process.env, { LINK_SECRET: 'a-link-secret-of-the-test', DOMAIN_KEY_SECRET: secret });
    ds = await openLedger(names.databaseUrl, 4);
    dns = await startDnsServer();
    const domains = new SendingDomainsRepository(ds);
    verify = new VerifySendingDomain(ds, domains, dnsTxtResolver([`127.0.0.1:${dns.port}`], 300));
    create = new CreateSendingDomain(ds);
    [tenant, other] = await Promise.all(['A', 'B'].map(async (n) => (await ds.query(`INSERT INTO tenants (name) VALUES ($1) RETURNING id`, [n]))[0].id as TenantId));
  });

  afterAll(async () => {
    await dns?.stop();
    await ds?.destroy();
    await dropDatabase(names.dbName);
  });

  const dkimOf = (d: SendingDomainView) => d.records.find((r) => r.purpose === 'dkim')!;
  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: DomainError) => e);

  it('with no record at the selector\'s name: 422 dns_record_missing, still unverified', async () => {
    const d = await create.execute({ tenantId: tenant, body: { domain: 'missing.test' } });
    expect(d).toMatchObject({ verified: false, verifiedAt: null });
    const err = await failure(verify.execute({ tenantId: tenant, id: d.id }));
    expect(err).toMatchObject({ code: 'dns_record_missing', status: 422, extensions: { name: dkimOf(d).name, found: [] } });
    // A TXT record there without p= is no DKIM record either.
    dns.records.set(dkimOf(d).name, ['v=spf1 -all']);
    expect(await failure(verify.execute({ tenantId: tenant, id: d.id }))).toMatchObject({ code: 'dns_record_missing', extensions: { found: ['v=spf1 -all'] } });
    expect((await ds.query('SELECT verified_at FROM sending_domains WHERE id = $1', [d.id]))[0].verified_at).toBeNull();
  });

  it('with another key published: 422 dns_record_mismatch naming what was found', async () => {
    const d = await create.execute({ tenantId: tenant, body: { domain: 'mismatch.test' } });
    const wrong = `v=DKIM1; k=rsa; p=${generateDkimKey().publicKey}`;
    dns.records.set(dkimOf(d).name, [wrong]);
    const err = await failure(verify.execute({ tenantId: tenant, id: d.id }));
    expect(err).toMatchObject({ code: 'dns_record_mismatch', status: 422, extensions: { name: dkimOf(d).name, found: [wrong] } });
    expect((await ds.query('SELECT verified_at FROM sending_domains WHERE id = $1', [d.id]))[0].verified_at).toBeNull();
  });

  it('when DNS does not answer: 503, retryable', async () => {
    const d = await create.execute({ tenantId: tenant, body: { domain: 'silent.test' } });
    dns.silent.add(dkimOf(d).name);
    expect(await failure(verify.execute({ tenantId: tenant, id: d.id }))).toMatchObject({ code: 'dns_unavailable', status: 503, retryable: true });
  });

  it('with the record published (over 255 bytes, so in several character-strings): verified; mail then goes from it, signed', async () => {
    const d = await create.execute({ tenantId: tenant, body: { domain: 'found.test' } });
    expect((await loadMailIdentities(ds, [tenant], secret)).get(tenant)!.domain).toBeNull();
    expect(dkimOf(d).value.length).toBeGreaterThan(255);
    dns.records.set(dkimOf(d).name, ['v=spf1 -all', dkimOf(d).value]);
    // Another tenant cannot verify it.
    expect(await failure(verify.execute({ tenantId: other, id: d.id }))).toMatchObject({ status: 404 });
    const before = Date.now();
    const res = await verify.execute({ tenantId: tenant, id: d.id });
    expect(res).toMatchObject({ id: d.id, domain: 'found.test', verified: true, records: d.records });
    expect(Date.parse(res.verifiedAt!)).toBeGreaterThanOrEqual(before - 1000);
    const identity = (await loadMailIdentities(ds, [tenant], secret)).get(tenant)!;
    expect(identity.domain).toMatchObject({ domain: 'found.test', selector: d.dkimSelector, privateKey: expect.stringContaining('PRIVATE KEY') });
    // Verifying again keeps the first verification time.
    expect((await verify.execute({ tenantId: tenant, id: d.id })).verifiedAt).toBe(res.verifiedAt);
  });
});
