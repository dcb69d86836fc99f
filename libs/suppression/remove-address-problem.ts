import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@utskick/http';
import { sqlRows, TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { normaliseAddress } from './suppression-address';

/**
 * Clears the tenant's own Problem on an e-mail address (it starts over as Unconfirmed). A block
 * on the global list stays: only the platform admin removes that.
 */
@Injectable()
export class RemoveAddressProblem {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: TenantId; address: string }): Promise<void> {
    const address = normaliseAddress('email', input.address, 'SE');
    if (!address) throw new NotFoundError('Address problem');
    const deleted = await sqlRows(this.ds, `DELETE FROM email_addresses WHERE tenant_id = $1 AND address = $2 AND status = 'problem' RETURNING 1`, [
      input.tenantId,
      address,
    ]);
    if (!deleted.length) throw new NotFoundError('Address problem');
  }
}
