import { sandboxSchema } from '@utskick/config';
import { logger, runService } from '@utskick/observability';
import { SANDBOX_ENV, SandboxEnv } from './sandbox-config';
import { SandboxModule } from './sandbox.module';
import { SandboxSmtpServer } from './smtp.server';

// The whole environment is validated when the module builds (a bad variable is named and the
// process exits); the HTTP port is needed before that.
const httpPort = sandboxSchema.shape.SANDBOX_HTTP_PORT.safeParse(process.env.SANDBOX_HTTP_PORT);

void runService(SandboxModule, {
  name: 'provider-sandbox',
  port: httpPort.success ? httpPort.data : 3100,
  configure: async (app) => {
    const env = app.get<SandboxEnv>(SANDBOX_ENV);
    const smtpPort = await app.get(SandboxSmtpServer).listen(env.SANDBOX_SMTP_PORT);
    logger('provider-sandbox').info({ smtpPort }, 'SMTP listening');
  },
});
