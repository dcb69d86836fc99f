import { Injectable } from '@nestjs/common';
import { isUuid, NotFoundError } from '@utskick/http';
import { AddressBookContactEntity, AddressBookEntity, ContactEntity, TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';

/** Address books and their members, always within one tenant: every method takes the TenantId first. */
@Injectable()
export class AddressBooksRepository {
  constructor(private readonly ds: DataSource) {}

  get repo() {
    return this.ds.getRepository(AddressBookEntity);
  }

  async get(tenantId: TenantId, id: string): Promise<AddressBookEntity> {
    const found = isUuid(id) ? await this.repo.findOneBy({ tenantId, id: id.toLowerCase() }) : null;
    if (!found) throw new NotFoundError('Address book');
    return found;
  }

  async list(tenantId: TenantId, limit: number, after?: string): Promise<AddressBookEntity[]> {
    const qb = this.repo.createQueryBuilder('b').where('b.tenant_id = :tenantId', { tenantId }).orderBy('b.id', 'ASC').limit(limit);
    if (after) qb.andWhere('b.id > :after', { after });
    return qb.getMany();
  }

  async memberCount(tenantId: TenantId, bookId: string): Promise<number> {
    const [r]: { n: number }[] = await this.ds.query(
      'SELECT count(*)::int AS n FROM address_book_contacts WHERE tenant_id = $1 AND book_id = $2',
      [tenantId, bookId],
    );
    return r.n;
  }

  /** Adds contacts (already checked to be the tenant's); returns how many were not members yet. */
  async addMembers(tenantId: TenantId, bookId: string, contactIds: string[]): Promise<number> {
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO address_book_contacts (tenant_id, book_id, contact_id)
       SELECT $1, $2, unnest($3::uuid[]) ON CONFLICT DO NOTHING RETURNING contact_id`,
      [tenantId, bookId, contactIds],
    );
    return rows.length;
  }

  async removeMember(tenantId: TenantId, bookId: string, contactId: string): Promise<void> {
    const res = isUuid(contactId)
      ? await this.ds.getRepository(AddressBookContactEntity).delete({ tenantId, bookId, contactId: contactId.toLowerCase() })
      : { affected: 0 };
    if (!res.affected) throw new NotFoundError('Contact in this address book');
  }

  /** Members in contact-id order after `after`. */
  async members(tenantId: TenantId, bookId: string, limit: number, after?: string): Promise<ContactEntity[]> {
    const qb = this.ds
      .getRepository(ContactEntity)
      .createQueryBuilder('c')
      .innerJoin('address_book_contacts', 'b', 'b.contact_id = c.id AND b.tenant_id = c.tenant_id')
      .where('b.tenant_id = :tenantId AND b.book_id = :bookId', { tenantId, bookId })
      .orderBy('c.id', 'ASC')
      .limit(limit);
    if (after) qb.andWhere('c.id > :after', { after });
    return qb.getMany();
  }
}
