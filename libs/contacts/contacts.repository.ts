import { HttpStatus, Injectable } from '@nestjs/common';
import { DomainError, NotFoundError, isUuid } from '@utskick/http';
import { ContactEntity, TenantId } from '@utskick/persistence';
import { CountryCode } from 'libphonenumber-js/max';
import { DataSource, EntityManager } from 'typeorm';
import { ContactInput, ContactView } from './contact.dto';
import { normaliseEmail, normalisePhone } from './phone';

export function toContactView(c: ContactEntity): ContactView {
  return {
    id: c.id,
    externalId: c.externalId,
    firstName: c.firstName,
    lastName: c.lastName,
    phone: c.phone,
    phoneE164: c.phoneE164,
    phoneType: c.phoneType,
    email: c.email,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** Contacts, always within one tenant: every method takes the TenantId first. */
@Injectable()
export class ContactsRepository {
  constructor(private readonly ds: DataSource) {}

  private get repo() {
    return this.ds.getRepository(ContactEntity);
  }

  async get(tenantId: TenantId, id: string): Promise<ContactEntity> {
    const found = isUuid(id) ? await this.repo.findOneBy({ tenantId, id }) : null;
    if (!found) throw new NotFoundError('Contact');
    return found;
  }

  async list(tenantId: TenantId, limit: number, after?: string): Promise<ContactEntity[]> {
    const qb = this.repo.createQueryBuilder('c').where('c.tenant_id = :tenantId', { tenantId }).orderBy('c.id', 'ASC').limit(limit);
    if (after) qb.andWhere('c.id > :after', { after });
    return qb.getMany();
  }

  async update(tenantId: TenantId, id: string, patch: Partial<ContactInput>): Promise<ContactEntity> {
    const c = await this.get(tenantId, id);
    const before = c.phoneE164;
    Object.assign(c, columns({ ...fromEntity(c), ...patch }, await this.defaultCountry(tenantId)));
    // A landline report was about the old number.
    if (c.phoneE164 !== before) c.phoneNotMobile = false;
    try {
      return await this.repo.save(c);
    } catch (err) {
      // contacts_tenant_external: the externalId is another contact's of this tenant.
      if ((err as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new DomainError('external_id_taken', HttpStatus.CONFLICT, 'Another contact has this externalId', [
          { field: 'externalId', reason: 'is used by another contact' },
        ]);
      }
      throw err;
    }
  }

  async delete(tenantId: TenantId, id: string): Promise<void> {
    const res = isUuid(id) ? await this.repo.delete({ tenantId, id }) : { affected: 0 };
    if (!res.affected) throw new NotFoundError('Contact');
  }

  /**
   * Inserts or updates (by externalId) in one statement per call; rows without an externalId
   * are always inserted. Returns the rows in input order.
   */
  async upsertMany(tenantId: TenantId, inputs: ContactInput[], db: DataSource | EntityManager = this.ds): Promise<ContactEntity[]> {
    if (!inputs.length) return [];
    // The last occurrence of an externalId within one call wins.
    const country = await this.defaultCountry(tenantId, db);
    const rows = inputs.map((i) => columns(i, country));
    const rowsOut: Record<string, unknown>[] = await db.query(
      `INSERT INTO contacts (tenant_id, external_id, first_name, last_name, phone, phone_e164, phone_type, email)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
       ON CONFLICT (tenant_id, external_id) WHERE external_id IS NOT NULL DO UPDATE SET
         first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, phone = EXCLUDED.phone,
         phone_e164 = EXCLUDED.phone_e164, phone_type = EXCLUDED.phone_type, email = EXCLUDED.email, updated_at = now(),
         phone_not_mobile = contacts.phone_not_mobile AND contacts.phone_e164 IS NOT DISTINCT FROM EXCLUDED.phone_e164
       RETURNING *`,
      [
        tenantId,
        rows.map((r) => r.externalId),
        rows.map((r) => r.firstName),
        rows.map((r) => r.lastName),
        rows.map((r) => r.phone),
        rows.map((r) => r.phoneE164),
        rows.map((r) => r.phoneType),
        rows.map((r) => r.email),
      ],
    );
    return rowsOut.map((r) =>
      this.repo.create({
        id: r.id as string,
        tenantId: r.tenant_id as string,
        externalId: r.external_id as string | null,
        firstName: r.first_name as string | null,
        lastName: r.last_name as string | null,
        phone: r.phone as string | null,
        phoneE164: r.phone_e164 as string | null,
        phoneType: r.phone_type as string | null,
        email: r.email as string | null,
        phoneNotMobile: r.phone_not_mobile as boolean,
        createdAt: r.created_at as Date,
        updatedAt: r.updated_at as Date,
      }),
    );
  }

  /** The country a number without a country code is read in. */
  async defaultCountry(tenantId: TenantId, db: DataSource | EntityManager = this.ds): Promise<CountryCode> {
    const [t]: { default_country: string }[] = await db.query('SELECT default_country FROM tenants WHERE id = $1', [tenantId]);
    return (t?.default_country ?? 'SE') as CountryCode;
  }

  /** Which of these ids are the tenant's contacts. */
  async existing(tenantId: TenantId, ids: string[]): Promise<Set<string>> {
    const rows: { id: string }[] = await this.ds.query(
      'SELECT id FROM contacts WHERE tenant_id = $1 AND id = ANY($2::uuid[])',
      [tenantId, ids],
    );
    return new Set(rows.map((r) => r.id));
  }
}

function fromEntity(c: ContactEntity): ContactInput {
  return { externalId: c.externalId, firstName: c.firstName, lastName: c.lastName, phone: c.phone, email: c.email };
}

function columns(input: ContactInput, country: CountryCode) {
  const phone = normalisePhone(input.phone, country);
  return {
    externalId: input.externalId ?? null,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    phone: input.phone ?? null,
    phoneE164: phone.e164,
    phoneType: phone.type,
    email: input.email ?? null,
  };
}
