import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { loadConfig, natsSchema } from '@utskick/config';
import { logger } from '@utskick/observability';
import { Subjects } from './subjects';
import { ensureStreams } from './topology';

/** The process's one NATS connection, its JetStream handles, and the subject names of this environment. */
@Injectable()
export class NatsService implements OnApplicationShutdown {
  readonly name = 'nats';
  private readonly log = logger('nats');
  nc!: NatsConnection;
  js!: JetStreamClient;
  jsm!: JetStreamManager;
  readonly subjects: Subjects;
  private readonly url: string;

  constructor() {
    const cfg = loadConfig(natsSchema);
    this.url = cfg.NATS_URL;
    this.subjects = new Subjects(cfg.NATS_PREFIX);
  }

  async connect(): Promise<this> {
    this.nc = await connect({ servers: this.url, name: process.env.SERVICE_NAME, maxReconnectAttempts: -1 });
    this.js = jetstream(this.nc);
    this.jsm = await jetstreamManager(this.nc);
    await ensureStreams(this.jsm, this.subjects);
    this.log.info({ url: this.url, prefix: this.subjects.prefix }, 'connected to NATS');
    return this;
  }

  /** Re-creates the streams (after one was deleted, say); idempotent. */
  ensureStreams(): Promise<void> {
    return ensureStreams(this.jsm, this.subjects);
  }

  async check(): Promise<void> {
    if (this.nc.isClosed()) throw new Error('connection closed');
    await this.nc.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.nc && !this.nc.isClosed()) await this.nc.drain();
  }
}
