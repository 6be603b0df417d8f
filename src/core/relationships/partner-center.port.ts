import type { Locale } from '../chat.ts';

/** What the core needs from Partner Center. Implemented by src/integrations/partner-center (live and simulator). */

export interface CallContext {
  /** Sent as X-Locale (`de-DE`, `en-US`) so Partner Center answers in the user's language. */
  locale: Locale;
  /** One id per user operation, sent as MS-CorrelationId and logged, so support can trace a failure. */
  correlationId: string;
}

export interface IndirectProvider {
  /** The provider's tenant id (used as `indirectCSPId` in the indirect reseller link). */
  id: string;
  name: string;
  mpnId?: string;
  state?: string;
}

export interface Customer {
  /** The customer's tenant id. */
  id: string;
  companyName: string;
  domain: string;
  /** `none`, `reseller`, `advisor`, `syndication`, `microsoft_support` */
  relationshipToPartner: string;
  /** Set when the customer came through an indirect reseller. */
  associatedPartnerId?: string;
}

export interface PartnerCenter {
  /** The partner's reseller relationship request link, exactly as Partner Center returns it (App+User only). */
  getRelationshipRequestUrl(context: CallContext): Promise<string>;
  listIndirectProviders(context: CallContext): Promise<IndirectProvider[]>;
  getCustomer(customerId: string, context: CallContext): Promise<Customer>;
  /** Every customer, page by page (500 per page), following the continuation headers. */
  listCustomers(context: CallContext): AsyncIterable<Customer[]>;
}
