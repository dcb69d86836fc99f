import { domainToASCII } from 'node:url';
import { Injectable } from '@nestjs/common';
import { emailSecretsSchema, loadConfig, sendingDomainSchema } from '@utskick/config';
import { ConflictError, isUuid, NotFoundError, parseInput, storableText } from '@utskick/http';
import { SendingDomainEntity, TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { dkimSelector, DnsRecord, dnsRecords, generateDkimKey, openPrivateKey, sealPrivateKey } from './dkim-keys';
import { SendingDomainKey } from './build-message';

const HOSTNAME = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export const createSendingDomainSchema = z
  .object({
    domain: storableText()
      .pipe(z.string().trim().max(253, 'at most 253 characters'))
      .transform((d, ctx) => {
        // An international domain is stored and signed in its ASCII (punycode) form.
        const ascii = domainToASCII(d.replace(/\.$/, '').toLowerCase());
        if (!HOSTNAME.test(ascii)) {
          ctx.addIssue({ code: 'custom', message: 'must be a domain name such as example.se' });
          return z.NEVER;
        }
        return ascii;
      }),
  })
  .strict();

export interface SendingDomainView {
  id: string;
  domain: string;
  dkimSelector: string;
  /** The DNS records to publish: SPF, DKIM and DMARC. */
  records: DnsRecord[];
  /** Whether the DKIM record was found in DNS (POST …/verify): only a verified domain sends mail. */
  verified: boolean;
  verifiedAt: string | null;
  createdAt: string;
}

export function toSendingDomainView(d: SendingDomainEntity, spfInclude: string): SendingDomainView {
  return {
    id: d.id,
    domain: d.domain,
    dkimSelector: d.dkimSelector,
    records: dnsRecords(d.domain, d.dkimSelector, d.dkimPublicKey, spfInclude),
    verified: d.verifiedAt != null,
    verifiedAt: d.verifiedAt ? d.verifiedAt.toISOString() : null,
    createdAt: d.createdAt.toISOString(),
  };
}

/** Sending domains, always within one tenant; the private key never leaves except decrypted for signing. */
@Injectable()
export class SendingDomainsRepository {
  constructor(private readonly ds: DataSource) {}

  private get repo() {
    return this.ds.getRepository(SendingDomainEntity);
  }

  async get(tenantId: TenantId, id: string): Promise<SendingDomainEntity> {
    const found = isUuid(id) ? await this.repo.findOneBy({ tenantId, id: id.toLowerCase() }) : null;
    if (!found) throw new NotFoundError('Sending domain');
    return found;
  }

  async list(tenantId: TenantId, limit: number, after?: string): Promise<SendingDomainEntity[]> {
    const qb = this.repo.createQueryBuilder('d').where('d.tenant_id = :tenantId', { tenantId }).orderBy('d.id', 'ASC').limit(limit);
    if (after) qb.andWhere('d.id > :after', { after });
    return qb.getMany();
  }

  async delete(tenantId: TenantId, id: string): Promise<void> {
    const res = isUuid(id) ? await this.repo.delete({ tenantId, id: id.toLowerCase() }) : { affected: 0 };
    if (!res.affected) throw new NotFoundError('Sending domain');
  }
}

/** Registers a sending domain with a new DKIM key; a domain already taken answers 409 without naming who holds it. */
@Injectable()
export class CreateSendingDomain {
  private readonly cfg = { ...loadConfig(emailSecretsSchema), ...loadConfig(sendingDomainSchema) };
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: TenantId; body: unknown }): Promise<SendingDomainView> {
    const { domain } = parseInput(createSendingDomainSchema, input.body);
    const key = generateDkimKey();
    const selector = dkimSelector();
    const rows: Record<string, unknown>[] = await this.ds.query(
      `INSERT INTO sending_domains (tenant_id, domain, dkim_selector, dkim_public_key, dkim_private_key_enc)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
       RETURNING id, tenant_id, domain, dkim_selector, dkim_public_key, created_at`,
      [input.tenantId, domain, selector, key.publicKey, sealPrivateKey(this.cfg.DOMAIN_KEY_SECRET, domain, key.privateKey)],
    );
    if (!rows.length) {
      const [own] = await this.ds.query('SELECT 1 FROM sending_domains WHERE tenant_id = $1 AND lower(domain) = $2', [input.tenantId, domain]);
      if (own) throw new ConflictError('domain_exists', 'This tenant has already registered this domain');
      throw new ConflictError('domain_unavailable', 'This domain is not available');
    }
    const r = rows[0];
    return toSendingDomainView(
      Object.assign(new SendingDomainEntity(), {
        id: r.id,
        tenantId: r.tenant_id,
        domain: r.domain,
        dkimSelector: r.dkim_selector,
        dkimPublicKey: r.dkim_public_key,
        verifiedAt: null,
        createdAt: r.created_at,
      }),
      this.cfg.SPF_INCLUDE,
    );
  }
}

/** How a tenant's mail goes out: its name and locale for the footer, its sending domain (the first registered of the verified) with the key. */
export interface TenantMailIdentity {
  tenantName: string;
  locale: 'sv' | 'en' | 'fr';
  domain: SendingDomainKey | null;
}

/** Loads tenants' mail identities in one query, decrypting each domain's DKIM key; an unverified domain is not used. */
export async function loadMailIdentities(db: DataSource, tenantIds: string[], domainKeySecret: string): Promise<Map<string, TenantMailIdentity>> {
  if (!tenantIds.length) return new Map();
  const rows: { id: string; name: string; locale: 'sv' | 'en' | 'fr'; domain: string | null; dkim_selector: string | null; dkim_private_key_enc: string | null }[] =
    await db.query(
      `SELECT t.id, t.name, t.locale, d.domain, d.dkim_selector, d.dkim_private_key_enc
         FROM tenants t
         LEFT JOIN LATERAL (SELECT domain, dkim_selector, dkim_private_key_enc FROM sending_domains s
                             WHERE s.tenant_id = t.id AND s.verified_at IS NOT NULL ORDER BY s.created_at, s.id LIMIT 1) d ON true
        WHERE t.id = ANY($1::uuid[])`,
      [tenantIds],
    );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        tenantName: r.name,
        locale: r.locale,
        domain:
          r.domain && r.dkim_selector && r.dkim_private_key_enc
            ? { domain: r.domain, selector: r.dkim_selector, privateKey: openPrivateKey(domainKeySecret, r.domain, r.dkim_private_key_enc) }
            : null,
      },
    ]),
  );
}
