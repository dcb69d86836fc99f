import { Test } from '@nestjs/testing';
import { SweepStaleMessages } from '@utskick/campaigns';
import { MessagingModule, NatsService } from '@utskick/messaging';
import { MessageLedger } from '@utskick/messages';
import { openLedger } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { deleteStreams, dropDatabase, uniqueNames } from '../support/test-env';

/** The sweeper tells a lost job from one waiting in a backlog, against the real NATS and PostgreSQL. */
describe('sweeper', () => {
  const names = uniqueNames('sweep');
  let ds: DataSource;
  let nats: NatsService;
  let sweep: SweepStaleMessages;
  let close: () => Promise<void>;
  let rowId: string;

  beforeAll(async () => {
    process.env.NATS_PREFIX = names.prefix;
    ds = await openLedger(names.databaseUrl, 2);
    const moduleRef = await Test.createTestingModule({
      imports: [MessagingModule],
      providers: [{ provide: DataSource, useValue: ds }, MessageLedger, SweepStaleMessages],
    }).compile();
    await moduleRef.init();
    nats = moduleRef.get(NatsService);
    sweep = moduleRef.get(SweepStaleMessages);
    close = () => moduleRef.close();
    const t = (await ds.query(`INSERT INTO tenants (name) VALUES ('s') RETURNING id`))[0].id;
    const c = (await ds.query(`INSERT INTO campaigns (tenant_id, name, channel, status, audience, content) VALUES ($1, 'c', 'sms', 'dispatching', '{}', '{}') RETURNING id`, [t]))[0].id;
    rowId = (
      await ds.query(
        `INSERT INTO messages (tenant_id, campaign_id, contact_id, channel, address, status, updated_at)
         VALUES ($1, $2, gen_random_uuid(), 'sms', '+46701234567', 'queued', now() - interval '2 minutes') RETURNING id`,
        [t, c],
      )
    )[0].id;
  });

  afterAll(async () => {
    await close?.();
    await ds?.destroy();
    await dropDatabase(names.dbName);
    await deleteStreams(names.prefix);
  });

  const seq = async () => (await ds.query('SELECT dispatch_seq FROM messages WHERE id = $1', [rowId]))[0].dispatch_seq;

  it('leaves a quiet row alone while the send stream still holds a backlog', async () => {
    await nats.js.publish(nats.subjects.subject('sms.send', 'other'), JSON.stringify({ messageId: 'x', tenantId: 'other', campaignId: 'y' }));
    expect(await sweep.execute({ staleMs: 1000, backlogStaleMs: 600_000, publishWindow: 16 })).toBe(0);
    expect(await seq()).toBe(0);
  });

  it('re-drives it once the stream holds no job, with a new Nats-Msg-Id', async () => {
    await nats.jsm.streams.purge(nats.subjects.stream('SEND'));
    expect(await sweep.execute({ staleMs: 1000, backlogStaleMs: 600_000, publishWindow: 16 })).toBe(1);
    expect(await seq()).toBe(1);
    const info = await nats.jsm.streams.info(nats.subjects.stream('SEND'));
    expect(info.state.messages).toBe(1);
    const msg = await nats.jsm.streams.getMessage(nats.subjects.stream('SEND'), { seq: info.state.last_seq });
    expect(msg?.header?.get('Nats-Msg-Id')).toBe(`${rowId}:1`);
  });
});
