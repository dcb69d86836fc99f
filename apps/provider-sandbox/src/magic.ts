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
  /** RCPT answered `451 4.2.0` on the first SANDBOX_SOFT_BOUNCE_ATTEMPTS tries of a message, then accepted and delivered. */
  softbounce: 'softbounce@example.com',
  /** RCPT always answered `451 4.2.0`: a soft bounce that never clears. */
  always4xx: 'always4xx@example.com',
  /** RCPT answered `550 5.7.1` (rejected by policy); not accepted. */
  policy: 'policy@example.com',
  /** Accepted, then a `bounce` event with status 5.2.2 (mailbox full). */
  full: 'full@example.com',
  /** Accepted, then a provider `deferred` event, then `delivered`. */
  deferral: 'deferral@example.com',
} as const;

/** How many tries of one message the `softbounce` address refuses before taking it. */
export const SANDBOX_SOFT_BOUNCE_ATTEMPTS = 2;

export type EmailMagic = keyof typeof SANDBOX_EMAIL;

export const SANDBOX_EMAIL_LOCAL_PARTS = Object.fromEntries(Object.keys(SANDBOX_EMAIL).map((k) => [k, k])) as { [K in EmailMagic]: K };

/** The magic behaviour of an e-mail address, by its local part (case-insensitive). */
export function emailMagic(address: string): EmailMagic | null {
  const at = address.lastIndexOf('@');
  const local = (at < 0 ? address : address.slice(0, at)).toLowerCase();
  return Object.hasOwn(SANDBOX_EMAIL, local) ? (local as EmailMagic) : null;
}
