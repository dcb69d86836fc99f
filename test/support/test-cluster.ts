import { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  clusterEnv,
  freePort,
  randomSecret,
  SERVICE_NAMES,
  ServiceName,
  spawnService,
  stopProcess,
  waitReady,
} from '../../scripts/cluster';
import { deleteStreams, dropDatabase, NATS_URL, uniqueNames, waitFor } from './test-env';

/** The built services under test; a separate build directory lets parallel work test its own build. */
const DIST = process.env.UTSKICK_DIST ?? join(__dirname, '..', '..', 'dist');
export const LOG_DIR = process.env.TEST_LOG_DIR ?? '/tmp/utskick-test-logs';

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A whole cluster of built services (dist/) for one test file: its own database, its own
 * stream prefix and free ports; processes can be killed and restarted; everything is removed at stop.
 */
export class TestCluster {
  readonly processes = new Map<ServiceName, ChildProcess>();
  db!: Client;

  private constructor(
    readonly names: ReturnType<typeof uniqueNames>,
    readonly ports: Parameters<typeof clusterEnv>[0],
    readonly env: Record<string, string>,
  ) {}

  static async start(tag: string, overrides: Record<string, string> = {}, services: ServiceName[] = SERVICE_NAMES): Promise<TestCluster> {
    const names = uniqueNames(tag);
    const ports = { smtp: await freePort() } as Parameters<typeof clusterEnv>[0];
    for (const n of SERVICE_NAMES) ports[n] = await freePort();
    const secrets = {
      ADMIN_TOKEN: randomSecret(),
      SANDBOX_AUTH_TOKEN: randomSecret(),
      SANDBOX_WEBHOOK_SECRET: randomSecret(),
      VERP_SECRET: randomSecret(),
      ELKS_CALLBACK_SECRET: randomSecret(),
      LINK_SECRET: randomSecret(),
      DOMAIN_KEY_SECRET: randomSecret(),
    };
    const env = clusterEnv(ports, secrets, {
      DATABASE_URL: names.databaseUrl,
      NATS_URL,
      NATS_PREFIX: names.prefix,
      LOG_LEVEL: 'info',
      RELEASE_POLL_MS: '250',
      SWEEP_INTERVAL_MS: '1000',
      SWEEP_STALE_MS: '5000',
      RETRY_BASE_MS: '200',
      RETRY_MAX_MS: '2000',
      BREAKER_RESET_MS: '1000',
      // status-ingest's bounce mail listener: each cluster its own port.
      STATUS_INGEST_SMTP_PORT: String(await freePort()),
      ...overrides,
    });
    const cluster = new TestCluster(names, ports, env);
    mkdirSync(join(LOG_DIR, names.prefix), { recursive: true });
    // Services that migrate at boot race for the advisory lock on purpose.
    await Promise.all(services.map((s) => cluster.startService(s)));
    cluster.db = new Client({ connectionString: names.databaseUrl });
    await cluster.db.connect();
    return cluster;
  }

  async startService(name: ServiceName, extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
    const child = spawnService(name, { ...this.env, ...extraEnv }, 'pipe', DIST);
    const log = createWriteStream(join(LOG_DIR, this.names.prefix, `${name}.log`), { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.processes.set(name, child);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`${name} exited with ${code} during start; see ${LOG_DIR}/${this.names.prefix}/${name}.log`))),
    );
    await Promise.race([waitReady(this.ports[name], 60_000), exited]);
    return child;
  }

  kill(name: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    const child = this.processes.get(name);
    if (!child) return Promise.resolve(null);
    this.processes.delete(name);
    return stopProcess(child, signal);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((n) => this.kill(n, 'SIGTERM')));
    await this.db?.end().catch(() => undefined);
    await dropDatabase(this.names.dbName);
    await deleteStreams(this.names.prefix);
  }

  url(service: ServiceName, path: string): string {
    return `http://127.0.0.1:${this.ports[service]}${path}`;
  }

  async http<T = any>(service: ServiceName, method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await fetch(this.url(service, path), { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  api<T = any>(method: string, path: string, token?: string, body?: unknown, headers?: Record<string, string>) {
    return this.http<T>('api', method, path, { token, body, headers });
  }

  /**
   * A tenant ready to send: topped up with `credit` (minor units) and with the alphanumeric
   * senders named, through the same API a tenant and the platform admin use.
   */
  async createTenant(name = 'Test tenant', opts: { credit?: number; senders?: string[] } = {}): Promise<{ id: string; apiKey: string }> {
    const res = await this.api('POST', '/v1/admin/tenants', this.env.ADMIN_TOKEN, { name });
    if (res.status !== 201) throw new Error(`tenant not created: ${res.status} ${JSON.stringify(res.body)}`);
    const credit = opts.credit ?? 100_000_000;
    if (credit > 0) await this.topUp(res.body.id, credit);
    for (const value of opts.senders ?? ['Skolan']) {
      const sender = await this.api('POST', '/v1/senders', res.body.apiKey, { kind: 'alphanumeric', value });
      if (sender.status !== 201) throw new Error(`sender not registered: ${sender.status} ${JSON.stringify(sender.body)}`);
    }
    return res.body;
  }

  async topUp(tenantId: string, amount: number): Promise<void> {
    const res = await this.api('POST', `/v1/admin/tenants/${tenantId}/credits`, this.env.ADMIN_TOKEN, { amount });
    if (res.status !== 200) throw new Error(`top-up refused: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** Creates n contacts through the bulk API; returns the ids of all contacts of that key's tenant. */
  async seedContacts(apiKey: string, n: number, make: (i: number) => Record<string, unknown>): Promise<string[]> {
    for (let i = 0; i < n; i += 10000) {
      const contacts = Array.from({ length: Math.min(10000, n - i) }, (_, k) => make(i + k));
      const res = await this.api('POST', '/v1/contacts/bulk', apiKey, { contacts });
      if (res.status !== 200 || res.body.errors.length) throw new Error(`seed failed: ${JSON.stringify(res.body).slice(0, 500)}`);
    }
    const rows = await this.db.query(
      'SELECT c.id FROM contacts c JOIN api_keys k ON k.tenant_id = c.tenant_id WHERE k.key_hash = $1 ORDER BY c.id',
      [createHash('sha256').update(apiKey).digest('hex')],
    );
    return rows.rows.map((r) => r.id);
  }

  /** Creates a campaign and executes it; fails loudly unless the API answers 201 then 202. Returns its id. */
  async launch(apiKey: string, campaign: Record<string, unknown>): Promise<string> {
    const created = await this.api('POST', '/v1/campaigns', apiKey, campaign);
    if (created.status !== 201) throw new Error(`campaign not created: ${created.status} ${JSON.stringify(created.body)}`);
    const executed = await this.api('POST', `/v1/campaigns/${created.body.id}/execute`, apiKey);
    if (executed.status !== 202) throw new Error(`campaign not executed: ${executed.status} ${JSON.stringify(executed.body)}`);
    return created.body.id;
  }

  async sandboxStats(): Promise<{ sms: { accepted: number; unique: number }; email: { accepted: number; unique: number } }> {
    return (await this.http('provider-sandbox', 'GET', '/sandbox/stats')).body;
  }

  async sandboxConfig(config: Record<string, unknown>): Promise<void> {
    const res = await this.http('provider-sandbox', 'POST', '/sandbox/config', { body: config });
    if (res.status >= 300) throw new Error(`sandbox config refused: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async waitCompleted(apiKey: string, campaignId: string, timeoutMs = 120_000, until?: (c: any) => boolean) {
    return waitFor(
      `campaign ${campaignId} completed`,
      async () => {
        const res = await this.api('GET', `/v1/campaigns/${campaignId}`, apiKey);
        return res.body.status === 'completed' && (!until || until(res.body)) ? res.body : null;
      },
      timeoutMs,
      300,
    );
  }

  async statusCounts(campaignId: string): Promise<Record<string, number>> {
    const r = await this.db.query('SELECT status, count(*)::int AS n FROM messages WHERE campaign_id = $1 GROUP BY status', [campaignId]);
    return Object.fromEntries(r.rows.map((x) => [x.status, x.n]));
  }
}

/** Phone numbers in a range the sandbox accepts: +4670 + 7 digits. */
export function mobile(i: number): string {
  return `+4670${String(1000000 + i).slice(-7)}`;
}
