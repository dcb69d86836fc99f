import { Provider } from '@nestjs/common';
import { loadConfig, statusIngestSchema } from '@utskick/config';
import {
  CertificateSource,
  FileCertificateSource,
  HttpCertificateSource,
  HttpSubscriptionClient,
  SnsEndpoint,
  SubscriptionClient,
} from '@utskick/providers';

/** Injection tokens: an in-process test provides its own certificate source and subscription client here. */
export const SNS_CERTIFICATE_SOURCE = 'SNS_CERTIFICATE_SOURCE';
export const SNS_SUBSCRIPTION_CLIENT = 'SNS_SUBSCRIPTION_CLIENT';

export const snsProviders: Provider[] = [
  {
    provide: SNS_CERTIFICATE_SOURCE,
    // SNS_CERT_PEM_FILE is for test clusters (no AWS host reachable); the whole verification still runs.
    useFactory: (): CertificateSource => {
      const file = loadConfig(statusIngestSchema).SNS_CERT_PEM_FILE;
      return file ? new FileCertificateSource(file) : new HttpCertificateSource();
    },
  },
  { provide: SNS_SUBSCRIPTION_CLIENT, useFactory: (): SubscriptionClient => new HttpSubscriptionClient() },
  {
    provide: SnsEndpoint,
    inject: [SNS_CERTIFICATE_SOURCE, SNS_SUBSCRIPTION_CLIENT],
    useFactory: (certificates: CertificateSource, subscriptions: SubscriptionClient) => {
      const topics = loadConfig(statusIngestSchema).SES_SNS_TOPIC_ARNS;
      // Unset: every SNS post is refused (a topic of any AWS account would otherwise be subscribed and trusted).
      return new SnsEndpoint(certificates, subscriptions, { topicArns: (topics ?? '').split(',').map((t) => t.trim()).filter(Boolean) });
    },
  },
];
