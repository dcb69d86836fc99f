import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { loadConfig, apiSchema } from '@utskick/config';
import { UnauthorizedError } from '@utskick/http';
import { TenantId, trustedTenantId } from '@utskick/persistence';
import { timingSafeEqual, createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { hashApiKey } from './api-key';

type AuthedRequest = { headers: Record<string, string | undefined>; tenantId?: TenantId };

function bearer(req: AuthedRequest): string | undefined {
  const h = req.headers['authorization'];
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1];
}

/** Resolves `Authorization: Bearer <apiKey>` to the tenant; an unknown or revoked key is 401. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly cache = new Map<string, { tenantId: TenantId; until: number }>();
  constructor(private readonly ds: DataSource) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const key = bearer(req);
    if (!key) throw new UnauthorizedError();
    const hash = hashApiKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) {
      req.tenantId = cached.tenantId;
      return true;
    }
    const rows: { tenant_id: string }[] = await this.ds.query(
      'SELECT tenant_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
      [hash],
    );
    if (!rows.length) throw new UnauthorizedError();
    const tenantId = trustedTenantId(rows[0].tenant_id);
    // A short cache: a revoked key stops working within seconds, and hot callers skip a query.
    this.cache.set(hash, { tenantId, until: Date.now() + 5000 });
    req.tenantId = tenantId;
    return true;
  }
}

/** `ADMIN_TOKEN` for platform operations, compared in constant time. */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly digest = createHash('sha256').update(loadConfig(apiSchema).ADMIN_TOKEN).digest();

  canActivate(ctx: ExecutionContext): boolean {
    const key = bearer(ctx.switchToHttp().getRequest<AuthedRequest>());
    if (!key) throw new UnauthorizedError('The admin token is required');
    const given = createHash('sha256').update(key).digest();
    if (!timingSafeEqual(given, this.digest)) throw new UnauthorizedError('The admin token is required');
    return true;
  }
}

/** The authenticated tenant of the request: the only way a controller gets a TenantId. */
export const CurrentTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantId => {
  const tenantId = ctx.switchToHttp().getRequest<AuthedRequest>().tenantId;
  if (!tenantId) throw new UnauthorizedError();
  return tenantId;
});
