export * from './keywords';
export * from './keyword-replies';
export * from './handle-inbound-sms';
export * from './list-campaign-replies';
export * from './list-opt-outs';
export * from './suppression.module';
