import { Injectable } from '@nestjs/common';
import { ApiKeyEntity, TenantEntity, TenantId, trustedTenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { generateApiKey } from './api-key';

export interface CreatedTenant {
  id: TenantId;
  name: string;
  apiKey: string;
}

/** Creates a tenant with its first API key; the key is returned once and never again. */
@Injectable()
export class CreateTenant {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { name: string }): Promise<CreatedTenant> {
    const { key, hash, prefix } = generateApiKey();
    return this.ds.transaction(async (em) => {
      const tenant = await em.save(em.create(TenantEntity, { name: input.name }));
      await em.save(em.create(ApiKeyEntity, { tenantId: tenant.id, keyHash: hash, prefix, revokedAt: null }));
      return { id: trustedTenantId(tenant.id), name: tenant.name, apiKey: key };
    });
  }
}
