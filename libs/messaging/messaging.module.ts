import { Global, Module } from '@nestjs/common';
import { NatsService } from './nats.service';
import { JobPublisher } from './publisher';

@Global()
@Module({
  providers: [
    { provide: NatsService, useFactory: () => new NatsService().connect() },
    JobPublisher,
  ],
  exports: [NatsService, JobPublisher],
})
export class MessagingModule {}
