import { Injectable } from '@nestjs/common';
import { FieldError, parseInput, ValidationError } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { bulkContactsSchema, ContactInput, contactInputSchema } from './contact.dto';
import { ContactsRepository } from './contacts.repository';

export interface BulkResult {
  upserted: number;
  errors: (FieldError & { index: number })[];
}

/** Bulk upsert by externalId: bad rows are reported by index and field, good rows are kept. */
@Injectable()
export class UpsertContacts {
  constructor(
    private readonly contacts: ContactsRepository,
    private readonly ds: DataSource,
  ) {}

  async execute(input: { tenantId: TenantId; body: unknown }): Promise<BulkResult> {
    const { contacts } = parseInput(bulkContactsSchema, input.body);
    const errors: BulkResult['errors'] = [];
    const good = new Map<string, ContactInput>();
    const anonymous: ContactInput[] = [];
    contacts.forEach((raw, index) => {
      const parsed = contactInputSchema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          errors.push({ index, field: issue.path.map(String).join('.') || 'contact', reason: issue.message });
        }
        return;
      }
      // The last row with an externalId wins within one call.
      if (parsed.data.externalId) good.set(parsed.data.externalId, parsed.data);
      else anonymous.push(parsed.data);
    });
    const rows = [...good.values(), ...anonymous];
    // All chunks or none: a failed call leaves nothing half-written.
    await this.ds.transaction(async (em) => {
      for (let i = 0; i < rows.length; i += 5000) {
        await this.contacts.upsertMany(input.tenantId, rows.slice(i, i + 5000), em);
      }
    });
    return { upserted: rows.length, errors };
  }
}

/** One contact; an existing externalId updates that contact. */
@Injectable()
export class CreateContact {
  constructor(private readonly contacts: ContactsRepository) {}

  async execute(input: { tenantId: TenantId; body: unknown }) {
    const data = parseInput(contactInputSchema, input.body);
    const [row] = await this.contacts.upsertMany(input.tenantId, [data]);
    return row;
  }
}

@Injectable()
export class UpdateContact {
  constructor(private readonly contacts: ContactsRepository) {}

  async execute(input: { tenantId: TenantId; id: string; body: unknown }) {
    const patch = parseInput(contactInputSchema.partial().strict(), input.body);
    if (!Object.keys(patch).length) throw new ValidationError([{ field: 'body', reason: 'names no field to change' }]);
    return this.contacts.update(input.tenantId, input.id, patch);
  }
}
