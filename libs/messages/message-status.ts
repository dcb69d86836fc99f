/** One snake_case status enum for both channels (contracts.md). */
export const PENDING = ['queued', 'sending', 'deferred'] as const;
export const SKIPPED = [
  'no_primary_phone',
  'cannot_receive_sms',
  'no_email',
  'unconfirmed',
  'opted_out',
  'suppressed',
  'no_consent',
  'duplicate_address',
] as const;
export const OUTCOMES = ['delivered', 'undelivered', 'bounced', 'failed'] as const;
export const FEEDBACK = ['spam', 'unsubscribed'] as const;

export type PendingStatus = (typeof PENDING)[number];
export type SkipStatus = (typeof SKIPPED)[number];
export type MessageStatus = PendingStatus | SkipStatus | 'sent' | (typeof OUTCOMES)[number] | (typeof FEEDBACK)[number];

export const ALL_STATUSES: readonly MessageStatus[] = [...PENDING, ...SKIPPED, 'sent', ...OUTCOMES, ...FEEDBACK];

export function isMessageStatus(s: string): s is MessageStatus {
  return (ALL_STATUSES as readonly string[]).includes(s);
}

/** Rank in the forward-only order: pending 0 → sent 1 → outcome 2 → feedback 3. Skips are final. */
function rank(s: MessageStatus): number {
  if ((PENDING as readonly string[]).includes(s)) return 0;
  if (s === 'sent') return 1;
  if ((OUTCOMES as readonly string[]).includes(s)) return 2;
  if ((FEEDBACK as readonly string[]).includes(s)) return 3;
  return -1; // skipped
}

/**
 * Whether a provider event may move a message from `from` to `to`. Status only moves forward;
 * a late `sent` after `delivered` changes nothing; `delivered` → `bounced` (late bounce) is allowed;
 * `bounced` / `failed` / `undelivered` never become `delivered`; skipped messages never change.
 */
export function canTransition(from: MessageStatus, to: MessageStatus): boolean {
  const rf = rank(from);
  const rt = rank(to);
  if (rf < 0 || rt < 0 || from === to) return false;
  // Feedback (complaint, unsubscribe) follows a message that reached the recipient, never a failed one.
  if (rt === 3 && rf === 2) return from === 'delivered';
  if (rt > rf) return true;
  // Among outcomes only a late hard bounce may follow delivered.
  return from === 'delivered' && to === 'bounced';
}

export function isFinal(s: MessageStatus): boolean {
  return rank(s) !== 0;
}
