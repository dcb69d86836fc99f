import { canTransition, MessageStatus } from './message-status';

describe('canTransition (status only moves forward)', () => {
  const cases: [MessageStatus, MessageStatus, boolean][] = [
    ['queued', 'sent', true],
    ['sending', 'sent', true],
    ['sending', 'delivered', true], // a report racing ahead of our own commit
    ['sent', 'delivered', true],
    ['sent', 'undelivered', true],
    ['delivered', 'sent', false], // late sent after delivered
    ['delivered', 'delivered', false],
    ['delivered', 'bounced', true], // late bounce
    ['delivered', 'spam', true],
    ['delivered', 'unsubscribed', true],
    ['bounced', 'delivered', false],
    ['failed', 'delivered', false],
    ['undelivered', 'delivered', false],
    ['spam', 'delivered', false],
    ['sent', 'spam', true], // a complaint whose delivery report never came
    ['bounced', 'spam', false],
    ['failed', 'unsubscribed', false],
    ['undelivered', 'spam', false],
    ['no_primary_phone', 'sent', false],
    ['duplicate_address', 'delivered', false],
    ['sent', 'queued', false],
  ];
  it.each(cases)('%s → %s is %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });
});
