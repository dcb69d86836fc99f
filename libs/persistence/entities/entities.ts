import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

// Table mappings only; rules live in the domain libs. Ids default to uuid_v7() in the database.

@Entity('tenants')
export class TenantEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' }) id!: string;
  @Column('text') name!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' }) id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('char', { name: 'key_hash', length: 64 }) keyHash!: string;
  @Column('text') prefix!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}

@Entity('contacts')
export class ContactEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' }) id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'external_id', nullable: true }) externalId!: string | null;
  @Column('text', { name: 'first_name', nullable: true }) firstName!: string | null;
  @Column('text', { name: 'last_name', nullable: true }) lastName!: string | null;
  @Column('text', { nullable: true }) phone!: string | null;
  @Column('text', { name: 'phone_e164', nullable: true }) phoneE164!: string | null;
  @Column('text', { name: 'phone_type', nullable: true }) phoneType!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('campaigns')
export class CampaignEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' }) id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') name!: string;
  @Column('text') channel!: 'sms' | 'email';
  @Column('text') status!: 'draft' | 'queued' | 'dispatching' | 'completed' | 'cancelled';
  @Column('jsonb') audience!: unknown;
  @Column('jsonb') content!: unknown;
  @Column('text', { name: 'execute_idempotency_key', nullable: true }) executeIdempotencyKey!: string | null;
  @Column('text', { name: 'trace_parent', nullable: true }) traceParent!: string | null;
  @Column('timestamptz', { name: 'release_at', nullable: true }) releaseAt!: Date | null;
  @Column('uuid', { name: 'fanout_cursor', nullable: true }) fanoutCursor!: string | null;
  @Column('boolean', { name: 'fanout_done', default: false }) fanoutDone!: boolean;
  @Column('text', { name: 'status_reason', nullable: true }) statusReason!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'executed_at', nullable: true }) executedAt!: Date | null;
  @Column('timestamptz', { name: 'dispatching_at', nullable: true }) dispatchingAt!: Date | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt!: Date | null;
}

@Entity('messages')
export class MessageEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' }) id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'campaign_id' }) campaignId!: string;
  @Column('uuid', { name: 'contact_id' }) contactId!: string;
  @Column('text') channel!: string;
  @Column('text', { nullable: true }) address!: string | null;
  @Column('text') status!: string;
  @Column('text', { nullable: true }) provider!: string | null;
  @Column('text', { name: 'provider_message_id', nullable: true }) providerMessageId!: string | null;
  @Column('int') attempts!: number;
  @Column('int', { name: 'dispatch_seq' }) dispatchSeq!: number;
  @Column('text', { name: 'claimed_by', nullable: true }) claimedBy!: string | null;
  @Column('timestamptz', { name: 'claimed_until', nullable: true }) claimedUntil!: Date | null;
  @Column('timestamptz', { name: 'next_attempt_at', nullable: true }) nextAttemptAt!: Date | null;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt!: Date | null;
  @Column('timestamptz', { name: 'final_at', nullable: true }) finalAt!: Date | null;
}

@Entity('message_events')
export class MessageEventEntity {
  @PrimaryColumn('bigint') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'message_id' }) messageId!: string;
  @Column('text') status!: string;
  @Column('text') source!: string;
  @Column('text', { name: 'provider_event_id', nullable: true }) providerEventId!: string | null;
  @Column('jsonb', { nullable: true }) payload!: unknown;
  @Column('boolean') applied!: boolean;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

@Entity('suppressions')
export class SuppressionEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' }) id!: string;
  @Column('text') channel!: 'sms' | 'email';
  @Column('text') address!: string;
  @Column('text') reason!: string;
  @Column('text') source!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

export const ENTITIES = [
  TenantEntity,
  ApiKeyEntity,
  ContactEntity,
  CampaignEntity,
  MessageEntity,
  MessageEventEntity,
  SuppressionEntity,
];
