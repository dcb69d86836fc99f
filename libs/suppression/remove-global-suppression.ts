import { Injectable } from '@nestjs/common';
import { NotFoundError, parseInput } from '@utskick/http';
import { sqlRows } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { channelSchema, normaliseAddress } from './suppression-address';

const schema = z.object({ channel: channelSchema, address: z.string().trim().min(1).max(320) });

/** The platform admin lifts an address off the global list (a tenant never can). */
@Injectable()
export class RemoveGlobalSuppression {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { channel: string; address: string }): Promise<void> {
    const q = parseInput(schema, input, 'path');
    // A global phone entry is E.164 already; no tenant country applies.
    const address = normaliseAddress(q.channel, q.address, 'SE') ?? q.address;
    const deleted = await sqlRows(this.ds, `DELETE FROM suppressions WHERE channel = $1 AND address = $2 RETURNING 1`, [q.channel, address]);
    if (!deleted.length) throw new NotFoundError('Global suppression');
  }
}
