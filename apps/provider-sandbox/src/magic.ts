/**
 * Recipients the sandbox treats specially. Tests and demos import these instead of
 * repeating the literals.
 */
export const SANDBOX_SMS = {
  /** Rejected at submission: 400, Twilio error 21211 (invalid 'To' number); nothing accepted. */
  alwaysFail: '+46700990001',
  /** Accepted, then the final callback is `undelivered` with ErrorCode 30003 (unreachable handset). */
  unreachable: '+46700990002',
  /** Accepted, then the final callback is `failed` with ErrorCode 30008 (unknown error). */
  failsLater: '+46700990003',
  /** Accepted, then the final callback is `undelivered` with ErrorCode 30006 (landline or unreachable carrier). */
  landline: '+46700990004',
  /** Twilio: rejected at submission, 400 / 21614 ('To' is not a mobile number). 46elks: accepted, then `failed`. */
  notMobile: '+46700990005',
} as const;

/** Error codes the magic SMS recipients produce. */
export const SANDBOX_SMS_ERRORS = {
  invalidTo: 21211,
  notMobile: 21614,
  unreachable: 30003,
  landline: 30006,
  failsLater: 30008,
} as const;

/**
 * Magic e-mail recipients: the local part decides, any domain works
 * (`reject@anything.test` is rejected just like `reject@example.com`).
 */
export const SANDBOX_EMAIL = {
  /** RCPT answered `550 5.1.1 mailbox does not exist`; not accepted. */
  reject: 'reject@example.com',
  /** Accepted, then a hard `bounce` event (status 5.1.1). */
  bounce: 'bounce@example.com',
  /** Accepted, then `delivered` and a `complaint` event. */
  complaint: 'complaint@example.com',
} as const;

export const SANDBOX_EMAIL_LOCAL_PARTS = {
  reject: 'reject',
  bounce: 'bounce',
  complaint: 'complaint',
} as const;

/** The magic behaviour of an e-mail address, by its local part (case-insensitive). */
export function emailMagic(address: string): 'reject' | 'bounce' | 'complaint' | null {
  const at = address.lastIndexOf('@');
  const local = (at < 0 ? address : address.slice(0, at)).toLowerCase();
  return local === 'reject' || local === 'bounce' || local === 'complaint' ? local : null;
}
