import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Readiness: the ledger answers a query. */
@Injectable()
export class DatabaseHealth {
  readonly name = 'database';
  constructor(private readonly ds: DataSource) {}
  async check(): Promise<void> {
    await this.ds.query('SELECT 1');
  }
}
