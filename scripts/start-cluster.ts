/**
 * `npm start`: the whole cluster on this machine with the sandbox providers — six processes,
 * PostgreSQL and NATS as they run locally. Secrets come from the environment; any not set are
 * generated once and kept in .utskick/dev-secrets.json (git-ignored) so restarts keep them.
 */
import { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterEnv, randomSecret, SERVICE_NAMES, SERVICES, spawnService, stopProcess, waitReady } from './cluster';

const root = join(__dirname, '..', '..');
const secretsFile = join(root, '.utskick', 'dev-secrets.json');
const SECRET_NAMES = ['ADMIN_TOKEN', 'SANDBOX_AUTH_TOKEN', 'SANDBOX_WEBHOOK_SECRET', 'VERP_SECRET', 'ELKS_CALLBACK_SECRET', 'LINK_SECRET', 'DOMAIN_KEY_SECRET'];

function secrets(): Record<string, string> {
  const stored: Record<string, string> = existsSync(secretsFile) ? JSON.parse(readFileSync(secretsFile, 'utf8')) : {};
  const out: Record<string, string> = {};
  for (const name of SECRET_NAMES) out[name] = process.env[name] ?? stored[name] ?? randomSecret();
  mkdirSync(join(root, '.utskick'), { recursive: true });
  writeFileSync(secretsFile, JSON.stringify(out, null, 2), { mode: 0o600 });
  writeFileSync(join(root, '.utskick', 'admin-token'), out.ADMIN_TOKEN, { mode: 0o600 });
  return out;
}

async function main(): Promise<void> {
  const ports = {
    ...Object.fromEntries(SERVICE_NAMES.map((n) => [n, Number(process.env[SERVICES[n].portEnv] ?? SERVICES[n].port)])),
    smtp: Number(process.env.SANDBOX_SMTP_PORT ?? 2525),
  } as Parameters<typeof clusterEnv>[0];
  const env = clusterEnv(ports, secrets());
  const children = new Map<string, ChildProcess>();
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all([...children.values()].map((c) => stopProcess(c)));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  for (const name of SERVICE_NAMES) {
    const child = spawnService(name, env);
    child.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(`[start] ${name} exited (${code ?? signal}); stopping the cluster`);
      void stopAll(1);
    });
    children.set(name, child);
  }
  await Promise.all(SERVICE_NAMES.map((n) => waitReady(ports[n], 90_000)));
  console.error(
    `\n[start] Utskick is up: api http://127.0.0.1:${ports.api} (docs at /docs), status-ingest :${ports['status-ingest']}, ` +
      `scheduler :${ports.scheduler}, sms-worker :${ports['sms-worker']}, email-worker :${ports['email-worker']}, ` +
      `sandbox :${ports['provider-sandbox']} (SMTP :${ports.smtp}).\n[start] ADMIN_TOKEN is in .utskick/admin-token\n`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
