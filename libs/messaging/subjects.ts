/** Payloads carried on the backbone, one type per subject. The ledger row is the truth; a job only points at it. */
export interface SendJob {
  messageId: string;
  tenantId: string;
  campaignId: string;
}

export interface CampaignExecuted {
  campaignId: string;
  tenantId: string;
}

/** Subject kinds: the one map from subject to payload type. */
export interface SubjectPayloads {
  'sms.send': SendJob;
  'email.send': SendJob;
  'campaign.executed': CampaignExecuted;
}
export type SubjectKind = keyof SubjectPayloads;

export interface StreamSpec {
  /** Stream name suffix; the full name is <PREFIX>_<suffix>. */
  name: 'SEND' | 'CAMPAIGNS';
  kinds: SubjectKind[];
}

export const STREAMS: StreamSpec[] = [
  { name: 'SEND', kinds: ['sms.send', 'email.send'] },
  { name: 'CAMPAIGNS', kinds: ['campaign.executed'] },
];

export function streamOf(kind: SubjectKind): StreamSpec['name'] {
  const spec = STREAMS.find((s) => s.kinds.includes(kind));
  if (!spec) throw new Error(`subject kind ${kind} belongs to no stream`);
  return spec.name;
}

/** Subject names: work `<prefix>.sms.send.<tenant>`, events `<prefix>.campaign.executed.<tenant>`. */
export class Subjects {
  constructor(readonly prefix: string) {}

  subject(kind: SubjectKind, tenantId: string): string {
    return `${this.prefix}.${kind}.${tenantId}`;
  }

  filter(kind: SubjectKind): string {
    return `${this.prefix}.${kind}.>`;
  }

  stream(name: StreamSpec['name']): string {
    return `${this.prefix.toUpperCase()}_${name}`;
  }

  /** Durable consumer names: <app>-<stream>-<kind>. */
  durable(app: string, kind: SubjectKind): string {
    return `${app}-${streamOf(kind)}-${kind.replace(/\./g, '_')}`;
  }
}
