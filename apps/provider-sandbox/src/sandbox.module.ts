import { DynamicModule, Module } from '@nestjs/common';
import { loadConfig, sandboxSchema } from '@utskick/config';
import { HealthModule } from '@utskick/observability';
import { CallbackSender } from './callback-sender';
import { ControlController } from './control.controller';
import { EmailEventBatcher } from './email-events.batcher';
import { LiveConfig, SANDBOX_ENV, SandboxEnv } from './sandbox-config';
import { SandboxState } from './sandbox-state';
import { SandboxSmtpServer } from './smtp.server';
import { TwilioMessagesController } from './twilio-messages.controller';
import { TwilioMessagesService } from './twilio-messages.service';

/** The sandbox with an explicit environment (tests) or, without one, process.env. */
@Module({})
export class SandboxCoreModule {
  static forRoot(env?: SandboxEnv): DynamicModule {
    return {
      module: SandboxCoreModule,
      imports: [HealthModule.register([])],
      controllers: [TwilioMessagesController, ControlController],
      providers: [
        env ? { provide: SANDBOX_ENV, useValue: env } : { provide: SANDBOX_ENV, useFactory: () => loadConfig(sandboxSchema) },
        LiveConfig,
        SandboxState,
        CallbackSender,
        EmailEventBatcher,
        TwilioMessagesService,
        SandboxSmtpServer,
      ],
      exports: [SANDBOX_ENV, SandboxSmtpServer],
    };
  }
}

/** Root module of the provider-sandbox service, configured from the environment. */
@Module({ imports: [SandboxCoreModule.forRoot()] })
export class SandboxModule {}
