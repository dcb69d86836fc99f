import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, ValueTransformer } from 'typeorm';

// Table mappings only; rules live in the domain libs. Ids default to uuid_v7() in the database.

/** node-pg answers bigint as a string; money and counts here stay far below 2^53. */
const bigintNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v == null ? null : Number(v)),
};

@Entity('tenants')
export class TenantEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' }) id!: string;
  @Column('text') name!: string;
  @Column('char', { name: 'default_country', length: 2, default: 'SE' }) defaultCountry!: string;
  @Column('text', { default: 'sv' }) locale!: 'sv' | 'en' | 'fr';
  @Column('text', { name: 'sms_provider', default: 'twilio' }) smsProvider!: 'twilio' | '46elks';
  /** Minor units; changed only by SQL that checks it (credits), never by saving this entity. */
  @Column({ type: 'bigint', name: 'sms_balance', default: 0, update: false, insert: false, transformer: bigintNumber }) smsBalance!: number;
  @Column('int', { name: 'sms_text_cap', nullable: true }) smsTextCap!: number | null;
  @Column('int', { name: 'sms_max_parts', default: 10 }) smsMaxParts!: number;
  @Column('jsonb', { name: 'opt_out_texts', default: {} }) optOutTexts!: Partial<Record<'sv' | 'en' | 'fr', Partial<Record<'alphanumeric' | 'short_code' | 'reply_number', string>>>>;
  @Column('text', { name: 'help_text', nullable: true }) helpText!: string | null;
  @Column('boolean', { name: 'require_confirmed_email', default: false }) requireConfirmedEmail!: boolean;
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
  @Column('boolean', { name: 'phone_not_mobile', default: false }) phoneNotMobile!: boolean;
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
  @Column('uuid', { name: 'address_book_id', nullable: true }) addressBookId!: string | null;
  @Column({ type: 'bigint', name: 'estimated_cost', nullable: true, transformer: bigintNumber }) estimatedCost!: number | null;
  @Column({ type: 'bigint', name: 'reserved_cost', default: 0, update: false, insert: false, transformer: bigintNumber }) reservedCost!: number;
  @Column({ type: 'bigint', name: 'refunded_cost', nullable: true, update: false, insert: false, transformer: bigintNumber }) refundedCost!: number | null;
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
  @Column('text', { nullable: true }) body!: string | null;
  @Column('int', { nullable: true }) parts!: number | null;
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber }) cost!: number | null;
  @Column('text', { nullable: true }) sender!: string | null;
  @Column('timestamptz', { name: 'polled_at', nullable: true }) polledAt!: Date | null;
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
  @Column('uuid', { name: 'book_id', nullable: true }) bookId!: string | null;
  @Column('text', { name: 'created_by_address', nullable: true }) createdByAddress!: string | null;
  @Column('text', { nullable: true }) detail!: string | null;
}

export type SenderKind = 'alphanumeric' | 'short_code' | 'reply_number';

@Entity('senders')
export class SenderEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' }) id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') kind!: SenderKind;
  @Column('text') value!: string;
  @Column('text', { nullable: true }) keyword!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('address_books')
export class AddressBookEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' }) id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') name!: string;
  @Column('uuid', { name: 'sender_id', nullable: true }) senderId!: string | null;
  @Column('boolean', { name: 'opt_out_text', default: true }) optOutText!: boolean;
  @Column('boolean', { default: true }) marketing!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('address_book_contacts')
export class AddressBookContactEntity {
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn('uuid', { name: 'book_id' }) bookId!: string;
  @PrimaryColumn('uuid', { name: 'contact_id' }) contactId!: string;
  @CreateDateColumn({ name: 'added_at', type: 'timestamptz' }) addedAt!: Date;
}

@Entity('opt_outs')
export class OptOutEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' }) id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') channel!: 'sms' | 'email';
  @Column('text') address!: string;
  /** NULL: the whole tenant. */
  @Column('uuid', { name: 'book_id', nullable: true }) bookId!: string | null;
  @Column('text') source!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('credit_transactions')
export class CreditTransactionEntity {
  @PrimaryColumn('bigint') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') kind!: 'top_up' | 'reservation' | 'refund';
  @Column({ type: 'bigint', transformer: bigintNumber }) amount!: number;
  @Column({ type: 'bigint', name: 'balance_after', transformer: bigintNumber }) balanceAfter!: number;
  @Column('uuid', { name: 'campaign_id', nullable: true }) campaignId!: string | null;
  @Column('text', { nullable: true }) note!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

@Entity('inbound_messages')
export class InboundMessageEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' }) id!: string;
  /** NULL when no tenant could be told from the number it was sent to. */
  @Column('uuid', { name: 'tenant_id', nullable: true }) tenantId!: string | null;
  @Column('text') provider!: string;
  @Column('text', { name: 'provider_message_id' }) providerMessageId!: string;
  @Column('text', { name: 'from_number' }) fromNumber!: string;
  @Column('text', { name: 'to_number' }) toNumber!: string;
  @Column('text') body!: string;
  @Column('text', { nullable: true }) keyword!: string | null;
  @Column('text') action!: string;
  @Column('uuid', { name: 'message_id', nullable: true }) messageId!: string | null;
  @Column('uuid', { name: 'campaign_id', nullable: true }) campaignId!: string | null;
  @Column('uuid', { name: 'book_id', nullable: true }) bookId!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

export type EmailAddressStatus = 'unconfirmed' | 'confirmation_requested' | 'confirmed' | 'problem';
export type EmailProblem = 'bounced' | 'spam' | 'unsubscribed' | 'blocked' | 'invalid';

@Entity('email_addresses')
export class EmailAddressEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn('text') address!: string;
  @Column('text') status!: EmailAddressStatus;
  @Column('text', { nullable: true }) problem!: EmailProblem | null;
  @Column('text', { name: 'problem_source', nullable: true }) problemSource!: string | null;
  @Column('timestamptz', { name: 'confirmation_requested_at', nullable: true }) confirmationRequestedAt!: Date | null;
  @Column('timestamptz', { name: 'confirmed_at', nullable: true }) confirmedAt!: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

@Entity('sending_domains')
export class SendingDomainEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' }) id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') domain!: string;
  @Column('text', { name: 'dkim_selector' }) dkimSelector!: string;
  @Column('text', { name: 'dkim_public_key' }) dkimPublicKey!: string;
  @Column('text', { name: 'dkim_private_key_enc' }) dkimPrivateKeyEnc!: string;
  /** Set when the DKIM record was found in DNS; until then mail does not go From this domain. */
  @Column('timestamptz', { name: 'verified_at', nullable: true }) verifiedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('email_layouts')
export class EmailLayoutEntity {
  @PrimaryColumn('uuid', { default: () => 'uuid_v7()' }) id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) html!: string | null;
  @Column('text', { nullable: true }) text!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

export const ENTITIES = [
  EmailAddressEntity,
  SendingDomainEntity,
  EmailLayoutEntity,
  SenderEntity,
  AddressBookEntity,
  AddressBookContactEntity,
  OptOutEntity,
  CreditTransactionEntity,
  InboundMessageEntity,
  TenantEntity,
  ApiKeyEntity,
  ContactEntity,
  CampaignEntity,
  MessageEntity,
  MessageEventEntity,
  SuppressionEntity,
];
