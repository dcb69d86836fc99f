import pino, { Logger } from 'pino';

let root: Logger | undefined;

/** JSON logs; every line carries the service name, and callers add tenantId / campaignId / messageId. */
export function rootLogger(): Logger {
  if (!root) {
    root = pino({
      level: process.env.LOG_LEVEL ?? 'info',
      base: { service: process.env.SERVICE_NAME ?? 'utskick' },
      timestamp: pino.stdTimeFunctions.isoTime,
    });
  }
  return root;
}

export function logger(component: string): Logger {
  return rootLogger().child({ component });
}
