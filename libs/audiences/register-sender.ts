import { Injectable } from '@nestjs/common';
import { ConflictError, parseInput, ValidationError } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import type { CountryCode } from 'libphonenumber-js/max';
import { createSenderSchema, SenderView, toSenderView } from './audience.dto';
import { normaliseSender } from './sender-rules';
import { SendersRepository } from './senders.repository';

/** Registers a sender; a value already taken answers 409 without naming who holds it. */
@Injectable()
export class RegisterSender {
  constructor(private readonly senders: SendersRepository) {}

  async execute(input: { tenantId: TenantId; body: unknown }): Promise<SenderView> {
    const data = parseInput(createSenderSchema, input.body);
    const country = (await this.senders.defaultCountry(input.tenantId)) as CountryCode;
    const result = normaliseSender(data, country);
    if (!result.ok) throw new ValidationError(result.errors, 'The sender is not valid');
    const saved = await this.senders.insert(input.tenantId, result.sender);
    if (saved) return toSenderView(saved);
    if (await this.senders.hasValue(input.tenantId, result.sender.value)) {
      throw new ConflictError('sender_exists', 'This tenant has already registered this sender');
    }
    // A reply number, or a short code's keyword, belongs to one tenant; who holds it is not told.
    throw new ConflictError('sender_unavailable', 'This sender is not available');
  }
}
