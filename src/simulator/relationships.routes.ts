/** `/v1/relationships?relationship_type=…`: the indirect providers a reseller works with. */
import type { PartnerCenterRequest } from './partner-center-request.ts';
import { SAMPLE_INDIRECT_PROVIDERS } from './seed.ts';
import { sendJson, sendPartnerCenterError } from './sim-http.ts';

const RELATIONSHIP_TYPES = ['IsIndirectResellerOf', 'IsIndirectCloudSolutionProviderOf'];

export function routeRelationships(call: PartnerCenterRequest): boolean {
  if (call.url.pathname !== '/v1/relationships') return false;
  const type = call.url.searchParams.get('relationship_type') ?? '';
  if (!RELATIONSHIP_TYPES.includes(type)) {
    sendPartnerCenterError(call.response, 400, 'relationship_type must be IsIndirectResellerOf or IsIndirectCloudSolutionProviderOf.', call.echoHeaders);
    return true;
  }
  // The simulated partner is an indirect reseller: it has providers, and no resellers of its own.
  const items =
    type === 'IsIndirectResellerOf'
      ? SAMPLE_INDIRECT_PROVIDERS.map((provider) => ({
          id: provider.id,
          name: provider.name,
          relationshipType: type,
          state: 'Active',
          mpnId: provider.mpnId,
          attributes: { objectType: 'PartnerRelationship' },
        }))
      : [];
  sendJson(call.response, 200, { totalCount: items.length, items, attributes: { objectType: 'Collection' } }, call.echoHeaders);
  return true;
}
