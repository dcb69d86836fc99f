import { STREAMS, streamOf, Subjects } from './subjects';

describe('Subjects', () => {
  const s = new Subjects('utskick');
  it('names work subjects per tenant, streams UPPER_SNAKE and durables <app>-<stream>-<kind>', () => {
    expect(s.subject('sms.send', 't1')).toBe('utskick.sms.send.t1');
    expect(s.filter('email.send')).toBe('utskick.email.send.>');
    expect(s.stream('SEND')).toBe('UTSKICK_SEND');
    expect(s.durable('sms-worker', 'sms.send')).toBe('sms-worker-SEND-sms_send');
  });
  it('puts every subject kind in exactly one stream', () => {
    const kinds = STREAMS.flatMap((x) => x.kinds);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(streamOf('campaign.executed')).toBe('CAMPAIGNS');
  });
});
