/**
 * Every client the bot needs from Microsoft, built once from one set of credentials: live mode and local
 * mode (against the simulator) differ only in the URLs and credentials passed in.
 */
import type { PartnerDirectory } from '../core/events/directory.port.ts';
import type { GdapAdmin } from '../core/restoration/gdap.port.ts';
import { createGdapAdminWith } from './graph/graph-admin.client.ts';
import { createGraphCaller, createGraphClientWith, type GraphClient } from './graph/graph.client.ts';
import { createPartnerCenterCaller, type PartnerCenterClientOptions } from './partner-center/partner-center.caller.ts';
import { createPartnerCenterClientWith, type PartnerCenterClient } from './partner-center/partner-center.client.ts';
import { createWebhookRegistrationClient, type WebhookRegistrationClient } from './partner-center/webhook-registration.client.ts';
import { createPartnerDirectory } from './partner-directory.ts';

export interface MicrosoftClientOptions extends PartnerCenterClientOptions {
  /** GRAPH_API_URL (no version). */
  graphUrl: string;
}

export interface MicrosoftClients {
  /** Implements the PartnerCenter port (and reads audit records). */
  partnerCenter: PartnerCenterClient;
  graph: GraphClient;
  /** Implements the GdapAdmin port (create, lock, assign, terminate GDAP relationships); shares Graph's caller. */
  gdapAdmin: GdapAdmin;
  /** Implements the PartnerDirectory port. */
  directory: PartnerDirectory;
  webhookRegistration: WebhookRegistrationClient;
}

export function createMicrosoftClients(options: MicrosoftClientOptions): MicrosoftClients {
  // One Partner Center caller: the registration API shares its tokens and circuit breaker.
  const partnerCenterCaller = createPartnerCenterCaller(options);
  const partnerCenter = createPartnerCenterClientWith(partnerCenterCaller);
  // One Graph caller likewise: reading and writing GDAP share tokens, Retry-After handling and the breaker.
  const graphCaller = createGraphCaller(options);
  const graph = createGraphClientWith(graphCaller);
  return {
    partnerCenter,
    graph,
    gdapAdmin: createGdapAdminWith(graphCaller, graph),
    directory: createPartnerDirectory(partnerCenter, graph),
    webhookRegistration: createWebhookRegistrationClient(partnerCenterCaller),
  };
}
