import { SmtpProvider, RetryableProviderError } from '@utskick/providers';
import { SMTPServer } from 'smtp-server';

/** How SMTP answers become ledger outcomes, against a real SMTP server. */
describe('SmtpProvider', () => {
  let server: SMTPServer;
  let port: number;
  let mailFromCode = 0;
  let accepted = 0;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onMailFrom(_address, _session, cb) {
        if (mailFromCode) return cb(Object.assign(new Error('5.7.1 sender rejected'), { responseCode: mailFromCode }));
        cb();
      },
      onRcptTo(address, _session, cb) {
        if (address.address.startsWith('nouser@')) return cb(Object.assign(new Error('5.1.1 mailbox does not exist'), { responseCode: 550 }));
        // Postfix's own wording for an unknown user behind relay_recipient_maps.
        if (address.address.startsWith('relayuser@'))
          return cb(Object.assign(new Error('5.1.1 <relayuser@example.com>: Recipient address rejected: User unknown in relay recipient table'), { responseCode: 550 }));
        if (address.address.startsWith('policy@')) return cb(Object.assign(new Error('5.7.1 rejected by policy'), { responseCode: 550 }));
        if (address.address.startsWith('norelay@')) return cb(Object.assign(new Error('5.7.1 Relaying denied'), { responseCode: 550 }));
        if (address.address.startsWith('needauth@')) return cb(Object.assign(new Error('5.7.0 Authentication required'), { responseCode: 530 }));
        if (address.address.startsWith('later@')) return cb(Object.assign(new Error('4.2.0 mailbox busy, try later'), { responseCode: 451 }));
        cb();
      },
      onData(stream, _session, cb) {
        stream.resume();
        stream.on('end', () => {
          accepted++;
          cb();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  const provider = () =>
    new SmtpProvider({ url: `smtp://127.0.0.1:${port}`, poolSize: 1, verpSecret: 'secret-secret-secret', verpDomain: 'b.test', timeoutMs: 5000 });
  const mail = (to: string) => ({ messageId: '01a206c3-2c69-7eb7-b016-fe6e521cc58c', to, from: 'Skolan <noreply@skolan.test>', subject: 'Hej', text: 'Hej' });

  it('accepts a message', async () => {
    const p = provider();
    expect(await p.submit(mail('anna@example.com'))).toMatchObject({ kind: 'accepted' });
    expect(accepted).toBe(1);
    await p.close();
  });

  it('a 5.1.1 at RCPT TO is a hard bounce of that message; a policy 5xx fails only that message', async () => {
    const p = provider();
    expect(await p.submit(mail('nouser@example.com'))).toMatchObject({ kind: 'rejected', status: 'bounced' });
    expect(await p.submit(mail('policy@example.com'))).toMatchObject({ kind: 'rejected', status: 'failed' });
    await p.close();
  });

  it('a 5.1.1 at RCPT TO carries a hard-bounce effect on the address; a policy 5xx none', async () => {
    const p = provider();
    expect(await p.submit(mail('nouser@example.com'))).toMatchObject({ addressEffect: { kind: 'hard_bounce', source: 'smtp', detail: '5.1.1' } });
    expect(await p.submit(mail('policy@example.com'))).not.toHaveProperty('addressEffect');
    await p.close();
  });

  it('a 5.1.1 whose text mentions "relay" (Postfix: "User unknown in relay recipient table") is still a hard bounce, not a relay refusal', async () => {
    const p = provider();
    expect(await p.submit(mail('relayuser@example.com'))).toMatchObject({
      kind: 'rejected',
      status: 'bounced',
      addressEffect: { kind: 'hard_bounce', source: 'smtp', detail: '5.1.1' },
    });
    await p.close();
  });

  it('a 4xx at RCPT TO is a soft bounce of that message: deferred, not thrown at the breaker', async () => {
    const p = provider();
    expect(await p.submit(mail('later@example.com'))).toEqual({ kind: 'deferred', error: 'smtp 451: 451 4.2.0 mailbox busy, try later' });
    await p.close();
  });

  it('a relay refusing our sender (5xx at MAIL FROM) is retried, never a verdict on the recipient', async () => {
    mailFromCode = 553;
    const p = provider();
    await expect(p.submit(mail('anna@example.com'))).rejects.toBeInstanceOf(RetryableProviderError);
    mailFromCode = 0;
    await p.close();
  });

  it('a relay refusing to relay or demanding auth at RCPT TO is the relay\'s problem: retried', async () => {
    const p = provider();
    await expect(p.submit(mail('norelay@example.com'))).rejects.toBeInstanceOf(RetryableProviderError);
    await expect(p.submit(mail('needauth@example.com'))).rejects.toBeInstanceOf(RetryableProviderError);
    await p.close();
  });

  it('an address that cannot go on an envelope is rejected without touching the relay', async () => {
    const p = provider();
    const before = accepted;
    expect(await p.submit(mail('Anna Svensson'))).toMatchObject({ kind: 'rejected', status: 'failed' });
    expect(accepted).toBe(before);
    await p.close();
  });
});
