import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The six processes of a local cluster, by name: entry point and the variable that sets its port. */
export const SERVICES = {
  'provider-sandbox': { portEnv: 'SANDBOX_HTTP_PORT', port: 3100 },
  'status-ingest': { portEnv: 'STATUS_INGEST_PORT', port: 3001 },
  api: { portEnv: 'API_PORT', port: 3000 },
  scheduler: { portEnv: 'SCHEDULER_PORT', port: 3002 },
  'sms-worker': { portEnv: 'SMS_WORKER_PORT', port: 3003 },
  'email-worker': { portEnv: 'EMAIL_WORKER_PORT', port: 3004 },
} as const;
export type ServiceName = keyof typeof SERVICES;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

export interface ClusterSpec {
  ports: Record<ServiceName, number> & { smtp: number };
  env: Record<string, string>;
}

export function randomSecret(): string {
  return randomBytes(24).toString('base64url');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Environment shared by every service of one cluster: where the others are, and the shared secrets. */
export function clusterEnv(ports: ClusterSpec['ports'], secrets: Record<string, string>, base: Record<string, string> = {}): Record<string, string> {
  const ingest = `http://127.0.0.1:${ports['status-ingest']}`;
  return {
    ...secrets,
    PUBLIC_BASE_URL: ingest,
    STATUS_INGEST_URL: ingest,
    SANDBOX_URL: `http://127.0.0.1:${ports['provider-sandbox']}`,
    SMTP_URL: `smtp://127.0.0.1:${ports.smtp}`,
    SANDBOX_SMTP_PORT: String(ports.smtp),
    ...Object.fromEntries(SERVICE_NAMES.map((n) => [SERVICES[n].portEnv, String(ports[n])])),
    ...base,
  };
}

export function entryPoint(name: ServiceName, distRoot = join(__dirname, '..')): string {
  return join(distRoot, 'apps', name, 'src', 'main.js');
}

/** Starts one service as a child process of this one (same Node binary). */
export function spawnService(name: ServiceName, env: Record<string, string>, stdio: 'inherit' | 'pipe' | 'ignore' = 'inherit', distRoot?: string): ChildProcess {
  return spawn(process.execPath, [entryPoint(name, distRoot)], {
    env: { ...process.env, ...env, SERVICE_NAME: name },
    stdio: ['ignore', stdio, stdio],
  });
}

export async function waitReady(port: number, timeoutMs = 60_000, path = '/health/ready'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`service on port ${port} not ready after ${timeoutMs} ms: ${last}`);
}

/** Sends SIGTERM and waits for the exit (SIGKILL after a grace period). Resolves with the exit code. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code) => {
      clearTimeout(t);
      resolve(code);
    });
    child.kill(signal);
  });
}
