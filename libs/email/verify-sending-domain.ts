import { Resolver } from 'node:dns/promises';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { apiSchema, loadConfig, sendingDomainSchema } from '@utskick/config';
import { DomainError, NotFoundError } from '@utskick/http';
import { sqlRows, TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { SendingDomainsRepository, SendingDomainView, toSendingDomainView } from './sending-domains';

/** TXT look-ups: each record as its character-strings (node's `resolveTxt` shape). */
export interface TxtResolver {
  resolveTxt(name: string): Promise<string[][]>;
}

/** Nest token of the TxtResolver the verification uses. */
export const TXT_RESOLVER = Symbol('TXT_RESOLVER');

/** node's resolver, asking the given servers (`ip` or `ip:port`) or the system's; a few seconds per try. */
export function dnsTxtResolver(servers?: string[], timeoutMs = 2000): TxtResolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (servers?.length) resolver.setServers(servers);
  return { resolveTxt: (name) => resolver.resolveTxt(name) };
}

export type DkimRecordCheck = { result: 'match' } | { result: 'missing'; found: string[] } | { result: 'mismatch'; found: string[] };

/** The p= tag of a DKIM record (whitespace inside it is folding, RFC 6376 3.2), or null when it has none. */
export function dkimPublicKeyOf(record: string): string | null {
  for (const tag of record.split(';')) {
    const eq = tag.indexOf('=');
    if (eq > 0 && tag.slice(0, eq).trim() === 'p') return tag.slice(eq + 1).replace(/\s+/g, '');
  }
  return null;
}

/** Whether one of the TXT records (character-strings joined) at the selector's name carries this public key. */
export function checkDkimRecord(records: string[][], publicKey: string): DkimRecordCheck {
  const found = records.map((chunks) => chunks.join(''));
  const keys = found.map(dkimPublicKeyOf).filter((k): k is string => k !== null);
  if (keys.includes(publicKey)) return { result: 'match' };
  return keys.length ? { result: 'mismatch', found } : { result: 'missing', found };
}

/** DNS answers that say the name has no TXT record (as opposed to DNS not answering). */
const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * Looks up the domain's DKIM record and marks the domain verified when it carries the stored public
 * key: only then does mail go From the domain, signed with its key.
 */
@Injectable()
export class VerifySendingDomain {
  private readonly spfInclude = loadConfig(sendingDomainSchema).SPF_INCLUDE;

  constructor(
    private readonly ds: DataSource,
    private readonly domains: SendingDomainsRepository,
    @Inject(TXT_RESOLVER) private readonly resolver: TxtResolver,
  ) {}

  async execute(input: { tenantId: TenantId; id: string }): Promise<SendingDomainView> {
    const domain = await this.domains.get(input.tenantId, input.id);
    const name = `${domain.dkimSelector}._domainkey.${domain.domain}`;
    let records: string[][];
    try {
      records = await this.resolver.resolveTxt(name);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
      if (NO_RECORD.has(code)) records = [];
      else
        throw new DomainError('dns_unavailable', HttpStatus.SERVICE_UNAVAILABLE, `DNS did not answer for TXT ${name} (${code}); try again later`, [], true, { name });
    }
    const check = checkDkimRecord(records, domain.dkimPublicKey);
    if (check.result === 'missing')
      throw new DomainError('dns_record_missing', HttpStatus.UNPROCESSABLE_ENTITY, `No DKIM record (with p=) found at TXT ${name}`, [], false, { name, found: check.found });
    if (check.result === 'mismatch')
      throw new DomainError('dns_record_mismatch', HttpStatus.UNPROCESSABLE_ENTITY, `The DKIM record at TXT ${name} has another public key than this domain's`, [], false, {
        name,
        found: check.found,
      });
    const rows = await sqlRows<{ verified_at: Date }>(
      this.ds,
      'UPDATE sending_domains SET verified_at = COALESCE(verified_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING verified_at',
      [input.tenantId, domain.id],
    );
    if (!rows.length) throw new NotFoundError('Sending domain');
    return toSendingDomainView(Object.assign(domain, { verifiedAt: rows[0].verified_at }), this.spfInclude);
  }
}

/** The production resolver, asking DNS_SERVERS when set. */
export const txtResolverProvider = { provide: TXT_RESOLVER, useFactory: (): TxtResolver => dnsTxtResolver(loadConfig(apiSchema.pick({ DNS_SERVERS: true })).DNS_SERVERS) };
