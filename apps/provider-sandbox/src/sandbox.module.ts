import { DynamicModule, Module } from '@nestjs/common';
import { loadConfig, sandboxSchema } from '@utskick/config';
import { HealthModule } from '@utskick/observability';
import { CallbackSender } from './callback-sender';
import { ControlController } from './control.controller';
import { ElksMessagesController } from './elks-messages.controller';
import { ElksMessagesService } from './elks-messages.service';
import { EmailEventBatcher } from './email-events.batcher';
import { InboundSmsController } from './inbound-sms.controller';
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
      controllers: [InboundSmsController, TwilioMessagesController, ElksMessagesController, ControlController],
      providers: [
        env ? { provide: SANDBOX_ENV, useValue: env } : { provide: SANDBOX_ENV, useFactory: () => loadConfig(sandboxSchema) },
        LiveConfig,
        SandboxState,
        CallbackSender,
        EmailEventBatcher,
        TwilioMessagesService,
        ElksMessagesService,
        SandboxSmtpServer,
      ],
      exports: [SANDBOX_ENV, SandboxSmtpServer],
    };
  }
}

/** Root module of the provider-sandbox service, configured from the environment. */
@Module({ imports: [SandboxCoreModule.forRoot()] })
export class SandboxModule {}
