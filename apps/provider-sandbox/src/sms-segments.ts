import { analyzeSms } from '@utskick/sms';

/** Number of SMS segments the body needs (GSM-7 160/153, else UCS-2 70/67), as the platform counts them. */
export function smsSegments(body: string): number {
  return analyzeSms(body).parts;
}
