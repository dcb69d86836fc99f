import { INestApplication, LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, observabilitySchema } from '@utskick/config';
import { logger, rootLogger } from './logger';
import { startTracing } from './tracing';

/** Nest's own log lines, as JSON through pino. */
class PinoNestLogger implements LoggerService {
  private readonly pino = logger('nest');
  log(message: unknown, context?: unknown) { this.pino.debug({ context }, String(message)); }
  error(message: unknown, trace?: unknown, context?: unknown) { this.pino.error({ context, trace }, String(message)); }
  warn(message: unknown, context?: unknown) { this.pino.warn({ context }, String(message)); }
  debug(message: unknown, context?: unknown) { this.pino.debug({ context }, String(message)); }
  verbose(message: unknown, context?: unknown) { this.pino.trace({ context }, String(message)); }
}

export interface ServiceOptions {
  name: string;
  port: number;
  /** Keep the raw request body (for webhook signatures). */
  rawBody?: boolean;
  configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * Starts one service: tracing, JSON logs, shutdown hooks (SIGTERM drains consumers before the
 * database and NATS close), HTTP on its port. A bad configuration exits with the variable named.
 */
export async function runService(module: Type<unknown>, opts: ServiceOptions): Promise<INestApplication> {
  process.env.SERVICE_NAME ??= opts.name;
  startTracing(opts.name);
  const log = rootLogger();
  try {
    loadConfig(observabilitySchema);
    const app = await NestFactory.create(module, { logger: new PinoNestLogger(), bufferLogs: false, rawBody: opts.rawBody ?? false });
    // Shutdown hooks run on close: consumers drain (beforeApplicationShutdown), then NATS and the
    // database close. A clean drain exits 0.
    let closing = false;
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        if (closing) return;
        closing = true;
        log.info({ signal }, `${opts.name} draining`);
        app
          .close()
          .then(() => process.exit(0))
          .catch((err) => {
            log.error({ err }, 'shutdown failed');
            process.exit(1);
          });
      });
    }
    await opts.configure?.(app);
    await app.listen(opts.port, '0.0.0.0');
    const address = app.getHttpServer().address();
    log.info({ port: typeof address === 'object' && address ? address.port : opts.port }, `${opts.name} ready`);
    return app;
  } catch (err) {
    if (err instanceof ConfigError) {
      log.fatal(err.message);
    } else {
      log.fatal({ err }, `${opts.name} failed to start`);
    }
    process.exit(1);
  }
}
