export * from './twilio-signature';
export * from './verp';
export * from './sandbox-signature';
export * from './send-result';
export * from './twilio.provider';
export * from './smtp.provider';
export * from './breakers';
