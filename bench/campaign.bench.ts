/**
 * `npm run bench -- --channel sms --recipients 100000`: one campaign through a RUNNING cluster
 * (`npm start`), timed from the execute call until every recipient is `delivered`.
 *
 * Options (all optional):
 *   --channel sms|email        default sms
 *   --recipients N             default 100000
 *   --api URL                  default http://127.0.0.1:3000
 *   --sandbox URL              default http://127.0.0.1:3100
 *   --admin-token TOKEN        default .utskick/admin-token, else env ADMIN_TOKEN
 *   --database-url URL         default env DATABASE_URL, else postgres://postgres@127.0.0.1:5432/utskick
 *   --ports name=port,...      service ports polled for /metrics (api=3000,status-ingest=3001,
 *                              scheduler=3002,sms-worker=3003,email-worker=3004,provider-sandbox=3100)
 *   --host HOST                host of those ports, default 127.0.0.1
 *   --timeout-s S              execute → all delivered deadline, default 900
 *   --out FILE                 markdown file a section is appended to, default docs/benchmarks.md
 *   --no-write                 print only, append nothing
 *
 * Exits 1 when the campaign does not complete in time or delivered != N (nothing is appended then).
 */
import { execSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';

/** npm runs scripts from the package root; the admin token file and git are looked up there. */
const ROOT = process.cwd();
const BULK_SIZE = 10_000;
const CAMPAIGN_POLL_MS = 250;
const METRICS_POLL_MS = 500;
const MAX_RECIPIENTS = 9_000_000; // distinct +4670 numbers in 1000000..9999999

const DEFAULT_PORTS: Record<string, number> = {
  api: 3000,
  'status-ingest': 3001,
  scheduler: 3002,
  'sms-worker': 3003,
  'email-worker': 3004,
  'provider-sandbox': 3100,
};

const HEADER = `# Benchmarks

Figures produced by \`bench/campaign.bench.ts\` (\`npm run build && npm run bench -- --channel sms --recipients 100000\`)
against a cluster started separately with \`npm start\` on the same machine (six Node processes, the
provider sandbox standing in for Twilio and SMTP, local PostgreSQL and NATS JetStream). Each run appends one section.

How each figure is produced:

- **Seed time**: a fresh tenant, N contacts (distinct Swedish mobiles \`+4670…\` and e-mail addresses)
  upserted with \`POST /v1/contacts/bulk\`, 10,000 per call, one call at a time.
- **E-mail** runs create a sending domain for the run, but the bench publishes no DNS, so the domain stays
  unverified and mail goes unsigned from \`EMAIL_FROM\` (signed, RSA-2048, only once a domain is verified),
  with a placeholder in subject and body and the sender's name and office.
- **Estimate / Execute call**: the response times of \`POST /v1/campaigns/{id}/estimate\` and of
  \`POST …/execute\` (which computes the same estimate for its credit check). The SMS text has a placeholder,
  so every recipient's text is rendered, counted and priced.
- **End-to-end**: N / (time from sending \`POST /v1/campaigns/{id}/execute\` until \`GET /v1/campaigns/{id}\`,
  polled every 250 ms, shows \`completed\` with \`counts.delivered === N\`). It covers fan-out, JetStream,
  the worker, the provider submission, the delivery callback and its ingestion into the ledger.
- **Latency p50 / p99**: \`percentile_cont\` in PostgreSQL over \`messages.sent_at - campaigns.executed_at\`
  (the ledger's record of provider acceptance minus the execute call's timestamp), in milliseconds.
  The worker writes \`sent_at\` when it records a whole batch of submissions (\`WORKER_BATCH_SIZE\`, 500),
  so it trails the provider's acceptance by up to one batch's duration.
- **Duplicates**: the sandbox's \`/sandbox/stats\` for the channel, submissions accepted minus distinct
  messages accepted (reset before each run; 0 means every recipient was submitted once).
- **Peak RSS**: the highest \`process_resident_memory_bytes\` from each service's \`/metrics\`, polled every
  500 ms from the start of seeding until the campaign is done; "at start" is the first sample. RSS seldom
  shrinks, so take figures from a freshly started cluster.
`;

interface Options {
  channel: 'sms' | 'email';
  recipients: number;
  api: string;
  sandbox: string;
  adminToken: string;
  databaseUrl: string;
  ports: Record<string, number>;
  host: string;
  timeoutS: number;
  out: string;
  write: boolean;
}

class BenchError extends Error {}

function parseArgs(argv: string[]): Options {
  const raw = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new BenchError(`unexpected argument ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) raw.set(a.slice(2, eq), a.slice(eq + 1));
    else if (a === '--no-write' || a === '--help') flags.add(a.slice(2));
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new BenchError(`${a} needs a value`);
      raw.set(a.slice(2), v);
      i++;
    }
  }
  if (flags.has('help')) {
    const doc = /\/\*\*([\s\S]*?)\*\//.exec(readFileSync(__filename, 'utf8'))?.[1] ?? '';
    console.log(doc.replace(/^ ?\* ?/gm, '').trim());
    process.exit(0);
  }
  const known = ['channel', 'recipients', 'api', 'sandbox', 'admin-token', 'database-url', 'ports', 'host', 'timeout-s', 'out'];
  for (const k of raw.keys()) if (!known.includes(k)) throw new BenchError(`unknown option --${k}`);

  const channel = raw.get('channel') ?? 'sms';
  if (channel !== 'sms' && channel !== 'email') throw new BenchError('--channel must be sms or email');
  const recipients = Number(raw.get('recipients') ?? 100_000);
  if (!Number.isInteger(recipients) || recipients < 1 || recipients > MAX_RECIPIENTS) {
    throw new BenchError(`--recipients must be an integer from 1 to ${MAX_RECIPIENTS}`);
  }
  const timeoutS = Number(raw.get('timeout-s') ?? 900);
  if (!(timeoutS > 0)) throw new BenchError('--timeout-s must be a positive number');

  const ports = { ...DEFAULT_PORTS };
  for (const part of (raw.get('ports') ?? '').split(',').filter(Boolean)) {
    const [name, port] = part.split('=');
    if (!name || !/^\d+$/.test(port ?? '')) throw new BenchError(`--ports: bad entry "${part}" (want name=port)`);
    ports[name.trim()] = Number(port);
  }

  let adminToken = raw.get('admin-token');
  if (!adminToken) {
    const file = join(ROOT, '.utskick', 'admin-token');
    adminToken = existsSync(file) ? readFileSync(file, 'utf8').trim() : process.env.ADMIN_TOKEN;
  }
  if (!adminToken) throw new BenchError('no admin token: pass --admin-token, or start the cluster with npm start (.utskick/admin-token)');

  return {
    channel,
    recipients,
    api: (raw.get('api') ?? 'http://127.0.0.1:3000').replace(/\/+$/, ''),
    sandbox: (raw.get('sandbox') ?? 'http://127.0.0.1:3100').replace(/\/+$/, ''),
    adminToken,
    databaseUrl: raw.get('database-url') ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/utskick',
    ports,
    host: raw.get('host') ?? '127.0.0.1',
    timeoutS,
    out: resolve(process.cwd(), raw.get('out') ?? 'docs/benchmarks.md'),
    write: !flags.has('no-write'),
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP

interface HttpAnswer<T = any> {
  status: number;
  body: T;
}

async function http<T = any>(method: string, url: string, token?: string, body?: unknown, timeoutMs = 120_000): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* keep the text */
  }
  return { status: res.status, body: parsed as T };
}

function expectStatus(what: string, res: HttpAnswer, status: number): void {
  if (res.status !== status) {
    throw new BenchError(`${what}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Peak RSS sampler

class RssSampler {
  readonly peak = new Map<string, number>();
  /** The first sample of each service: RSS rarely shrinks, so a long-lived cluster starts high. */
  readonly first = new Map<string, number>();
  readonly failures = new Map<string, number>();
  private running = false;
  private loop?: Promise<void>;

  constructor(private readonly ports: Record<string, number>, private readonly host: string) {
    for (const name of Object.keys(ports)) this.failures.set(name, 0);
  }

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const started = Date.now();
        await this.sampleOnce();
        await sleep(Math.max(0, METRICS_POLL_MS - (Date.now() - started)));
      }
    })();
  }

  async stop(): Promise<void> {
    if (!this.loop) return;
    this.running = false;
    const loop = this.loop;
    this.loop = undefined;
    await loop;
    await this.sampleOnce();
  }

  async sampleOnce(): Promise<void> {
    await Promise.all(
      Object.entries(this.ports).map(async ([name, port]) => {
        try {
          const res = await fetch(`http://${this.host}:${port}/metrics`, { signal: AbortSignal.timeout(2000) });
          const text = await res.text();
          const m = /^process_resident_memory_bytes(?:\{[^}]*\})?\s+([0-9.eE+]+)/m.exec(text);
          if (!res.ok || !m) throw new Error('no process_resident_memory_bytes');
          const bytes = Number(m[1]);
          if (!this.first.has(name)) this.first.set(name, bytes);
          if (bytes > (this.peak.get(name) ?? 0)) this.peak.set(name, bytes);
        } catch {
          this.failures.set(name, (this.failures.get(name) ?? 0) + 1);
        }
      }),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Environment facts

function sh(cmd: string): string | null {
  try {
    return execSync(cmd, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

function machine() {
  const cpuList = cpus();
  return {
    nproc: Number(sh('nproc') ?? cpuList.length),
    cpuModel: cpuList[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown CPU',
    memGiB: totalmem() / 2 ** 30,
    node: process.version,
  };
}

function gitCommit(): string {
  const sha = sh('git rev-parse --short HEAD') ?? 'unknown';
  const dirty = sh('git status --porcelain --untracked-files=no');
  return dirty ? `${sha} (uncommitted changes)` : sha;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmt1 = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const mb = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : fmtInt(bytes / 2 ** 20));

function commandLine(): string {
  const args = process.argv.slice(2).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`));
  // Keep a secret out of the record.
  const shown = args.map((a, i) => (args[i - 1] === '--admin-token' ? '***' : a.replace(/^--admin-token=.*/, '--admin-token=***')));
  return `npm run bench${shown.length ? ` -- ${shown.join(' ')}` : ''}`;
}

// ---------------------------------------------------------------------------------------------

function mobile(i: number): string {
  // +4670 1000000.. : valid Swedish mobiles, clear of the sandbox's magic +46700990001..3.
  return `+4670${1_000_000 + i}`;
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const N = o.recipients;
  const log = (msg: string) => console.error(`[bench] ${msg}`);

  // Everything up and reachable before anything is created.
  for (const [name, port] of Object.entries(o.ports)) {
    try {
      const res = await fetch(`http://${o.host}:${port}/health/ready`, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
    } catch (err) {
      throw new BenchError(`${name} on port ${port} is not ready (${(err as Error).message}); is the cluster running (npm start)?`);
    }
  }
  const db = new Client({ connectionString: o.databaseUrl });
  await db.connect().catch((err) => {
    throw new BenchError(`cannot connect to ${o.databaseUrl}: ${(err as Error).message}`);
  });

  const sampler = new RssSampler(o.ports, o.host);
  try {
    expectStatus('reset sandbox', await http('POST', `${o.sandbox}/sandbox/reset`), 204);
    const tenant = await http<{ id: string; apiKey: string }>('POST', `${o.api}/v1/admin/tenants`, o.adminToken, {
      name: `bench ${o.channel} ${N} ${new Date().toISOString()}`,
    });
    expectStatus('create tenant', tenant, 201);
    const { id: tenantId, apiKey } = tenant.body;
    // Enough credit for every part, and the sender the campaign names.
    expectStatus('top up', await http('POST', `${o.api}/v1/admin/tenants/${tenantId}/credits`, o.adminToken, { amount: N * 1000 }), 200);
    if (o.channel === 'sms') expectStatus('register sender', await http('POST', `${o.api}/v1/senders`, apiKey, { kind: 'alphanumeric', value: 'Utskick' }), 201);
    // Registered as in production; unverified (no DNS here), so e-mail runs send unsigned from EMAIL_FROM.
    if (o.channel === 'email') expectStatus('sending domain', await http('POST', `${o.api}/v1/email/domains`, apiKey, { domain: `bench-${Date.now()}.utskick.test` }), 201);
    log(`tenant ${tenantId}; seeding ${fmtInt(N)} contacts`);

    sampler.start();
    const seedStart = performance.now();
    for (let from = 0; from < N; from += BULK_SIZE) {
      const contacts = [];
      for (let i = from; i < Math.min(N, from + BULK_SIZE); i++) {
        contacts.push({ externalId: `b-${i}`, firstName: `First${i}`, lastName: `Last${i}`, phone: mobile(i), email: `bench${i}@example.com` });
      }
      const res = await http<{ upserted: number; errors: unknown[] }>('POST', `${o.api}/v1/contacts/bulk`, apiKey, { contacts });
      expectStatus('bulk contacts', res, 200);
      if (res.body.upserted !== contacts.length || res.body.errors.length) {
        throw new BenchError(`bulk contacts: upserted ${res.body.upserted} of ${contacts.length}, errors ${JSON.stringify(res.body.errors.slice(0, 5))}`);
      }
    }
    const seedMs = performance.now() - seedStart;
    log(`seeded in ${fmt1(seedMs / 1000)} s`);

    const content =
      o.channel === 'sms'
        ? { sms: { from: 'Utskick', text: 'Benchmark: hej %FIRST_NAME|du%, school starts on Monday at 08:00.' } }
        : {
            email: {
              subject: 'Benchmark för %FIRST_NAME%',
              text: 'Hej %FIRST_NAME%! Här är nyheterna.',
              html: '<p>Hej %FIRST_NAME%! Här är nyheterna.</p>',
              sender: { name: 'Bench', office: 'Stockholm', replyTo: 'bench@example.com' },
            },
          };
    const created = await http<{ id: string }>('POST', `${o.api}/v1/campaigns`, apiKey, {
      name: `bench ${o.channel} ${N}`,
      channel: o.channel,
      audience: { all: true },
      ...content,
    });
    expectStatus('create campaign', created, 201);
    const campaignId = created.body.id;

    const estimateStart = performance.now();
    const estimate = await http<{ recipients: number; parts: number; cost: { amount: number; currency: string } }>(
      'POST',
      `${o.api}/v1/campaigns/${campaignId}/estimate`,
      apiKey,
    );
    expectStatus('estimate campaign', estimate, 200);
    const estimateMs = performance.now() - estimateStart;
    log(`estimated in ${fmtInt(estimateMs)} ms: ${JSON.stringify(estimate.body)}`);

    log(`executing campaign ${campaignId}`);
    const t0 = performance.now();
    const deadline = t0 + o.timeoutS * 1000;
    expectStatus('execute campaign', await http('POST', `${o.api}/v1/campaigns/${campaignId}/execute`, apiKey), 202);
    const executeCallMs = performance.now() - t0;

    let last: { status: string; counts: Record<string, number> } | undefined;
    let completedMs: number | undefined;
    let doneMs: number | undefined;
    let lastReport = t0;
    while (performance.now() < deadline) {
      const res = await http<{ status: string; counts: Record<string, number> }>('GET', `${o.api}/v1/campaigns/${campaignId}`, apiKey, undefined, 30_000).catch(
        (err) => ({ status: 0, body: { status: `request failed: ${(err as Error).message}`, counts: {} } }),
      );
      const now = performance.now();
      if (res.status === 200) {
        last = res.body;
        if (last.status === 'completed' && completedMs === undefined) completedMs = now - t0;
        if (last.status === 'completed' && last.counts.delivered === N) {
          doneMs = now - t0;
          break;
        }
        // Completed with final statuses other than delivered: delivered can no longer reach N.
        const hopeless = Object.entries(last.counts).some(([s, n]) => s !== 'delivered' && s !== 'sent' && n > 0);
        if (last.status === 'completed' && hopeless) break;
      }
      if (now - lastReport >= 10_000) {
        lastReport = now;
        log(`${fmt1((now - t0) / 1000)} s: ${last?.status ?? '?'} ${JSON.stringify(last?.counts ?? {})}`);
      }
      await sleep(Math.max(0, CAMPAIGN_POLL_MS - (performance.now() - now)));
    }
    await sampler.stop();

    const stats = await http<Record<'sms' | 'email', { accepted: number; unique: number }>>('GET', `${o.sandbox}/sandbox/stats`);
    expectStatus('sandbox stats', stats, 200);
    const sandbox = stats.body[o.channel];

    if (doneMs === undefined) {
      const why = performance.now() >= deadline ? `did not finish within ${o.timeoutS} s` : 'completed without every message delivered';
      console.error(
        `[bench] FAILED: campaign ${campaignId} ${why}: status ${last?.status ?? 'unknown'}, counts ${JSON.stringify(last?.counts ?? {})}, ` +
          `delivered ${last?.counts.delivered ?? 0} of ${N}; sandbox accepted ${sandbox.accepted}, unique ${sandbox.unique}`,
      );
      return 1;
    }

    const lat = await db.query<{ p50: number | null; p99: number | null; max: number | null; with_sent: number; total: number }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM m.sent_at - c.executed_at) * 1000) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM m.sent_at - c.executed_at) * 1000) AS p99,
              max(extract(epoch FROM m.sent_at - c.executed_at) * 1000)::float8 AS max,
              count(m.sent_at)::int AS with_sent, count(*)::int AS total
         FROM messages m JOIN campaigns c ON c.id = m.campaign_id AND c.tenant_id = m.tenant_id
        WHERE m.tenant_id = $1 AND m.campaign_id = $2`,
      [tenantId, campaignId],
    );
    const L = lat.rows[0];

    const m = machine();
    const result = {
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      commit: gitCommit(),
      machine: `${m.nproc} CPUs (${m.cpuModel}), ${fmt1(m.memGiB)} GiB RAM, Node ${m.node}`,
      channel: o.channel,
      recipients: N,
      seedS: seedMs / 1000,
      estimateMs,
      estimate: estimate.body,
      executeCallMs,
      completedS: (completedMs ?? doneMs) / 1000,
      doneS: doneMs / 1000,
      rate: N / (doneMs / 1000),
      p50: L.p50 === null ? null : Number(L.p50),
      p99: L.p99 === null ? null : Number(L.p99),
      lastSent: L.max === null ? null : Number(L.max),
      withSent: L.with_sent,
      accepted: sandbox.accepted,
      unique: sandbox.unique,
      duplicates: sandbox.accepted - sandbox.unique,
      rss: Object.keys(o.ports).map((name) => ({
        name,
        first: sampler.first.get(name),
        peak: sampler.peak.get(name),
        failures: sampler.failures.get(name) ?? 0,
      })),
      command: commandLine(),
    };
    const ms = (v: number | null) => (v === null ? 'n/a' : fmtInt(v));

    const rows: [string, string][] = [
      ['Date', result.date],
      ['Commit', result.commit],
      ['Machine', result.machine],
      ['Channel', result.channel],
      ['Recipients', fmtInt(N)],
      ['Seed time', `${fmt1(result.seedS)} s (${fmtInt(N / result.seedS)} contacts/s)`],
      ['Estimate', `${fmtInt(result.estimateMs)} ms (${fmtInt(result.estimate.recipients)} recipients, ${fmtInt(result.estimate.parts)} parts, ${fmtInt(result.estimate.cost.amount)} ${result.estimate.cost.currency} minor units)`],
      ['Execute call', `${fmtInt(result.executeCallMs)} ms (the same estimate under the tenant's lock, for the credit check)`],
      ['Execute → all delivered', `${fmt1(result.doneS)} s (campaign \`completed\` at ${fmt1(result.completedS)} s)`],
      ['End-to-end', `**${fmtInt(result.rate)} messages/s**`],
      ['Execute → provider-accepted', `p50 ${ms(result.p50)} ms, p99 ${ms(result.p99)} ms (last at ${ms(result.lastSent)} ms; ${fmtInt(result.withSent)} of ${fmtInt(L.total)} rows with sent_at)`],
      ['Sandbox submissions', `accepted ${fmtInt(result.accepted)}, unique ${fmtInt(result.unique)}, **duplicates ${fmtInt(result.duplicates)}**`],
    ];
    const rssRows = result.rss.map((r) => [r.name, mb(r.peak), mb(r.first), r.failures ? `${r.failures} failed polls` : ''] as const);

    // Console table.
    const w = Math.max(...rows.map(([k]) => k.length));
    console.log('');
    for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v.replace(/\*\*|`/g, '')}`);
    console.log(`${'Peak RSS (MB)'.padEnd(w)}  ${rssRows.map(([n, v, , f]) => `${n} ${v}${f ? ` (${f})` : ''}`).join(', ')}`);
    console.log(`${'RSS at start (MB)'.padEnd(w)}  ${rssRows.map(([n, , s]) => `${n} ${s}`).join(', ')}`);
    console.log(`${'Command'.padEnd(w)}  ${result.command}`);
    console.log('');

    if (o.write) {
      const section = [
        '',
        `## ${result.date} — ${result.channel}, ${fmtInt(N)} recipients`,
        '',
        '| | |',
        '|---|---|',
        ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`),
        '',
        '| Service | Peak RSS (MB) | RSS at start (MB) |',
        '|---|---:|---:|',
        ...rssRows.map(([n, v, s, f]) => `| ${n} | ${v}${f ? ` (${f})` : ''} | ${s} |`),
        '',
        'Command:',
        '',
        '```sh',
        result.command,
        '```',
        '',
      ].join('\n');
      mkdirSync(dirname(o.out), { recursive: true });
      if (!existsSync(o.out)) writeFileSync(o.out, HEADER);
      appendFileSync(o.out, section);
      log(`appended to ${o.out}`);
    }
    return 0;
  } finally {
    await sampler.stop().catch(() => undefined);
    await db.end().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[bench] FAILED: ${err instanceof BenchError ? err.message : (err as Error).stack ?? err}`);
    process.exit(1);
  },
);
