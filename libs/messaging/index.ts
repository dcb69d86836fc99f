export * from './subjects';
export * from './nats.service';
export * from './topology';
export * from './publisher';
export * from './job-consumer';
export * from './consumer-host';
export * from './messaging.module';
