/**
 * A tenant id that came out of authentication (or an admin path that created the tenant).
 * Every tenant-scoped repository method takes one first, so a query without tenant scope
 * does not compile: a plain string is not a TenantId.
 */
export type TenantId = string & { readonly __brand: 'TenantId' };

/** The only doors into TenantId: authentication, tenant creation, and trusted internal payloads. */
export function trustedTenantId(id: string): TenantId {
  return id as TenantId;
}
