import { Injectable } from '@nestjs/common';
import { ConflictError, isUuid, NotFoundError } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';

/**
 * Removes one of the tenant's own opt-outs (say, the person opted in again elsewhere). An SMS
 * STOP stays: carrier rules let only the recipient's own START lift it.
 */
@Injectable()
export class RemoveOptOut {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: TenantId; id: string }): Promise<void> {
    if (!isUuid(input.id)) throw new NotFoundError('Opt-out');
    const [row]: { source: string; channel: string }[] = await this.ds.query(
      `SELECT source, channel FROM opt_outs WHERE tenant_id = $1 AND id = $2`,
      [input.tenantId, input.id],
    );
    if (!row) throw new NotFoundError('Opt-out');
    if (row.channel === 'sms' && row.source === 'sms_stop') {
      throw new ConflictError('opt_out_by_recipient', "An SMS STOP is lifted only by the recipient's own START");
    }
    await this.ds.query(`DELETE FROM opt_outs WHERE tenant_id = $1 AND id = $2`, [input.tenantId, input.id]);
  }
}
