export * from './pricing';
export * from './credit-ledger';
export * from './credits';
export * from './refund-unsent-parts';
export * from './credits.module';
