import { createServer, Server } from 'node:http';
import { mobile, TestCluster } from '../support/test-cluster';
import { waitFor } from '../support/test-env';

interface ExportedSpan {
  service: string;
  name: string;
  traceId: string;
}

/** Spans leave every service over OTLP/HTTP, and one execute is one trace across API, scheduler and worker. */
describe('OpenTelemetry export', () => {
  let cluster: TestCluster;
  let collector: Server;
  const spans: ExportedSpan[] = [];

  beforeAll(async () => {
    collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/v1/traces') {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          for (const rs of body.resourceSpans ?? []) {
            const service = rs.resource?.attributes?.find((a: { key: string }) => a.key === 'service.name')?.value?.stringValue;
            for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) spans.push({ service, name: s.name, traceId: s.traceId });
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', () => r()));
    const port = (collector.address() as { port: number }).port;
    cluster = await TestCluster.start('otel', { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_BSP_SCHEDULE_DELAY: '200' });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    collector?.close();
  });

  it('exports the spans of one campaign under the caller trace id from the API, the scheduler and the sms-worker', async () => {
    const tenant = await cluster.createTenant('Traced');
    await cluster.seedContacts(tenant.apiKey, 3, (i) => ({ phone: mobile(i) }));
    const created = await cluster.api('POST', '/v1/campaigns', tenant.apiKey, {
      name: 'Traced',
      channel: 'sms',
      audience: { all: true },
      sms: { from: 'Skolan', text: 'Hej' },
    });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await cluster.api('POST', `/v1/campaigns/${created.body.id}/execute`, tenant.apiKey, undefined, {
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    });
    await cluster.waitCompleted(tenant.apiKey, created.body.id);
    const services = await waitFor('spans from three services', async () => {
      const found = new Set(spans.filter((s) => s.traceId === traceId).map((s) => s.service));
      return ['api', 'scheduler', 'sms-worker'].every((s) => found.has(s)) ? found : null;
    }, 20_000);
    expect([...services].sort()).toEqual(expect.arrayContaining(['api', 'scheduler', 'sms-worker']));
    expect(spans.some((s) => s.traceId === traceId && s.service === 'sms-worker' && s.name === 'consume sms.send')).toBe(true);
  });
});
