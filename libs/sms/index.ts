export * from './types';
export * from './segments';
export * from './placeholders';
export * from './opt-out-text';
export * from './check-sms';
export * from './sms-framing';
export * from './analyze-sms';
export * from './sms.module';
