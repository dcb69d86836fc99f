import { Injectable } from '@nestjs/common';
import { isUuid, NotFoundError } from '@utskick/http';
import { SenderEntity, TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { SenderValue } from './sender-rules';

/** Senders, always within one tenant: every method takes the TenantId first. */
@Injectable()
export class SendersRepository {
  constructor(private readonly ds: DataSource) {}

  private get repo() {
    return this.ds.getRepository(SenderEntity);
  }

  async get(tenantId: TenantId, id: string): Promise<SenderEntity> {
    const found = isUuid(id) ? await this.repo.findOneBy({ tenantId, id: id.toLowerCase() }) : null;
    if (!found) throw new NotFoundError('Sender');
    return found;
  }

  async exists(tenantId: TenantId, id: string): Promise<boolean> {
    return isUuid(id) && (await this.repo.existsBy({ tenantId, id: id.toLowerCase() }));
  }

  async list(tenantId: TenantId, limit: number, after?: string): Promise<SenderEntity[]> {
    const qb = this.repo.createQueryBuilder('s').where('s.tenant_id = :tenantId', { tenantId }).orderBy('s.id', 'ASC').limit(limit);
    if (after) qb.andWhere('s.id > :after', { after });
    return qb.getMany();
  }

  /** The new sender, or null when a unique index refused it (this tenant's or another's). */
  async insert(tenantId: TenantId, s: SenderValue): Promise<SenderEntity | null> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `INSERT INTO senders (tenant_id, kind, value, keyword) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING id, tenant_id, kind, value, keyword, created_at`,
      [tenantId, s.kind, s.value, s.keyword],
    );
    if (!rows.length) return null;
    const r = rows[0];
    return this.repo.create({
      id: r.id as string,
      tenantId: r.tenant_id as string,
      kind: r.kind as SenderValue['kind'],
      value: r.value as string,
      keyword: r.keyword as string | null,
      createdAt: r.created_at as Date,
    });
  }

  /** Whether this tenant already has a sender with this value (the unique (tenant, value) index). */
  async hasValue(tenantId: TenantId, value: string): Promise<boolean> {
    return this.repo.existsBy({ tenantId, value });
  }

  async delete(tenantId: TenantId, id: string): Promise<void> {
    const res = isUuid(id) ? await this.repo.delete({ tenantId, id: id.toLowerCase() }) : { affected: 0 };
    if (!res.affected) throw new NotFoundError('Sender');
  }

  /** The country a national number is read in. */
  async defaultCountry(tenantId: TenantId): Promise<string> {
    const [t]: { default_country: string }[] = await this.ds.query('SELECT default_country FROM tenants WHERE id = $1', [tenantId]);
    return t?.default_country ?? 'SE';
  }
}
