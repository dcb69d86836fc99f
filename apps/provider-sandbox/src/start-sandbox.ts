import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, sandboxSchema } from '@utskick/config';
import { SandboxEnv } from './sandbox-config';
import { SandboxCoreModule } from './sandbox.module';
import { SandboxSmtpServer } from './smtp.server';

export interface RunningSandbox {
  app: INestApplication;
  env: SandboxEnv;
  httpPort: number;
  smtpPort: number;
  /** http://127.0.0.1:<httpPort> */
  url: string;
  close(): Promise<void>;
}

export type SandboxOverrides = Partial<Record<keyof SandboxEnv, string | number>>;

/**
 * Starts the sandbox in-process for tests: HTTP and SMTP on 127.0.0.1, ephemeral ports unless
 * overridden, environment = process.env + overrides. Throws (never exits) on bad configuration.
 */
export async function startSandbox(overrides: SandboxOverrides = {}): Promise<RunningSandbox> {
  const raw: Record<string, string | undefined> = { ...process.env, SANDBOX_HTTP_PORT: '0', SANDBOX_SMTP_PORT: '0' };
  for (const [k, v] of Object.entries(overrides)) raw[k] = v === undefined ? undefined : String(v);
  const env = loadConfig(sandboxSchema, raw);
  const app = await NestFactory.create(SandboxCoreModule.forRoot(env), { logger: ['error', 'warn'] });
  await app.listen(env.SANDBOX_HTTP_PORT, '127.0.0.1');
  const httpPort = app.getHttpServer().address().port as number;
  let smtpPort: number;
  try {
    smtpPort = await app.get(SandboxSmtpServer).listen(env.SANDBOX_SMTP_PORT, '127.0.0.1');
  } catch (err) {
    await app.close();
    throw err;
  }
  return { app, env, httpPort, smtpPort, url: `http://127.0.0.1:${httpPort}`, close: () => app.close() };
}
