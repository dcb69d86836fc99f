import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOG_DIR, TestCluster } from '../support/test-cluster';

const ROOT = join(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());

/** The README's promises: its two commands, and its curl walk-through run as written against a cluster. */
describe('README', () => {
  it('starts with the command that runs the cluster, then the walk-through, then the one that runs the tests', () => {
    expect(blocks[0]).toBe('npm ci\nnpm start');
    expect(blocks[1]).toContain('curl');
    expect(blocks[2]).toBe('npm test');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.start).toBeDefined();
    expect(pkg.scripts.test).toContain('jest');
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm test( --|$)/m);
  });

  describe('walk-through', () => {
    let cluster: TestCluster;
    beforeAll(async () => {
      cluster = await TestCluster.start('readme');
    }, 120_000);
    afterAll(async () => {
      await cluster?.stop();
    });

    it('runs as written (ports of this test cluster substituted) and ends with the documented counts', () => {
      const dir = mkdtempSync(join(tmpdir(), 'utskick-readme-'));
      mkdirSync(join(dir, '.utskick'));
      writeFileSync(join(dir, '.utskick', 'admin-token'), cluster.env.ADMIN_TOKEN);
      const script = blocks[1]
        .replaceAll('localhost:3000', `127.0.0.1:${cluster.ports.api}`)
        .replaceAll('localhost:3100', `127.0.0.1:${cluster.ports['provider-sandbox']}`);
      const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect(out).toContain('{"upserted":3,"errors":[]}');
      expect(out).toContain('{"balance":{"amount":10000,"currency":"SEK"}}');
      expect(out).toContain('{"recipients":3,"excluded":{},"parts":3,"cost":{"amount":135,"currency":"SEK"},"balance":{"amount":10000,"currency":"SEK"}}');
      expect(out).toContain('"status":"queued"');
      expect(out).toContain('{"status":"completed","counts":{"delivered":2,"undelivered":1},"total":3}');
      expect(out).toContain('"status":"undelivered","providerMessageId":"SM');
      expect(out).toContain('"error":"twilio 30003"');
      expect(out).toContain('{"sms":{"accepted":3,"unique":3},"email":{"accepted":0,"unique":0}}');
    });

    it('the utskick CLI does the same first steps: tenant, contacts, a send followed to its counts', () => {
      const cli = (args: string[], env: Record<string, string> = {}) =>
        execFileSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'utskick.js'), ...args], {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, UTSKICK_API: `http://127.0.0.1:${cluster.ports.api}`, ADMIN_TOKEN: cluster.env.ADMIN_TOKEN, ...env },
        });
      const tenant = JSON.parse(cli(['tenant', 'create', 'CLI AB']));
      expect(tenant.apiKey).toMatch(/^uk_/);
      const file = join(mkdtempSync(join(tmpdir(), 'utskick-cli-')), 'contacts.json');
      writeFileSync(file, JSON.stringify([{ externalId: 'a', phone: '070-111 22 33' }, { externalId: 'b', phone: '070-111 22 34' }, { externalId: 'c', email: 'x' }]));
      expect(JSON.parse(cli(['contacts', 'import', file], { UTSKICK_API_KEY: tenant.apiKey }))).toEqual({ upserted: 3, errors: [] });
      expect(JSON.parse(cli(['credits', 'add', tenant.id, '1000']))).toEqual({ balance: { amount: 1000, currency: 'SEK' } });
      expect(JSON.parse(cli(['sender', 'add', 'alphanumeric', 'Skolan'], { UTSKICK_API_KEY: tenant.apiKey }))).toMatchObject({ kind: 'alphanumeric', value: 'Skolan' });
      const sent = JSON.parse(cli(['send', 'sms', '--from', 'Skolan', '--text', 'Hej från CLI'], { UTSKICK_API_KEY: tenant.apiKey }));
      expect(sent).toMatchObject({ status: 'completed', counts: { delivered: 2, no_primary_phone: 1 }, total: 3 });
      // Two single-part SMS to Swedish numbers at the default 45 öre each.
      expect(JSON.parse(cli(['credits', 'show'], { UTSKICK_API_KEY: tenant.apiKey }))).toEqual({ balance: { amount: 910, currency: 'SEK' } });
      expect(() => cli(['send', 'sms', '--text', 'no sender'], { UTSKICK_API_KEY: tenant.apiKey })).toThrow(/--from is required/);
    });

    it('every service logged JSON lines naming itself', () => {
      const logs = join(LOG_DIR, cluster.names.prefix);
      const files = readdirSync(logs);
      expect(files.sort()).toEqual(['api.log', 'email-worker.log', 'provider-sandbox.log', 'scheduler.log', 'sms-worker.log', 'status-ingest.log']);
      for (const f of files) {
        const lines = readFileSync(join(logs, f), 'utf8').split('\n').filter(Boolean);
        expect(lines.length).toBeGreaterThan(0);
        for (const line of lines) expect(JSON.parse(line).service).toBe(f.replace('.log', ''));
      }
    });
  });
});
