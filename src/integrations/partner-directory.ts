/**
 * The PartnerDirectory port (what enrichment and reconciliation read) on the two live clients: customers
 * and audit records from Partner Center, GDAP relationships from Microsoft Graph.
 */
import type { PartnerDirectory } from '../core/events/directory.port.ts';
import type { GraphClient } from './graph/graph.client.ts';
import type { PartnerCenterClient } from './partner-center/partner-center.client.ts';

export function createPartnerDirectory(partnerCenter: PartnerCenterClient, graph: GraphClient): PartnerDirectory {
  return {
    getCustomer: (customerId, context) => partnerCenter.getCustomer(customerId, context),
    listCustomers: (context) => partnerCenter.listCustomers(context),
    searchCustomers: (field, prefix, context) => partnerCenter.searchCustomers(field, prefix, context),
    listGdapRelationships: (context) => graph.listGdapRelationships(context),
    getGdapRelationship: (relationshipId, context) => graph.getGdapRelationship(relationshipId, context),
    listAuditRecords: (startDate, endDate, context) => partnerCenter.listAuditRecords(startDate, endDate, context),
    getAuditRecord: (auditUri, context) => partnerCenter.getAuditRecord(auditUri, context),
  };
}
