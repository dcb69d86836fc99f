import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { linkState, loadLinkedMessage, RecipientLinkState } from './recipient-links';

/** What a recipient page shows for a link before anything is pressed; reading a link never changes anything. */
@Injectable()
export class ReadRecipientLink {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { token: string }): Promise<RecipientLinkState | null> {
    const m = await loadLinkedMessage(this.ds, input.token);
    return m ? linkState(this.ds, m) : null;
  }
}
