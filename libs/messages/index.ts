export * from './message-status';
export * from './message-ledger';
export * from './status-batcher';
export * from './dispatch-batch';
export * from './poll-unreported-sms';
