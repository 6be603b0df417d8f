/**
 * The simulator's built-in identities. Local mode and tests use them as the "app registration" and the
 * admin agent's consent; none of them is a real secret and none works against Microsoft.
 */
export const SIMULATOR_PARTNER_TENANT_ID = '3b33e682-00c3-41ee-9dd2-a548adf56438';
export const SIMULATOR_CLIENT_ID = '5f0c8f0e-5a1e-4c6b-9a57-51a1a7051a70';
export const SIMULATOR_CLIENT_SECRET = 'simulator-client-secret';
export const SIMULATOR_REFRESH_TOKEN = 'simulator-refresh-token';
export const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/.default';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
/** Entra's usual access token lifetime. */
export const SIMULATOR_ACCESS_TOKEN_LIFETIME_SECONDS = 3600;
/** How long a rotated-away refresh token still works, so two refreshes racing each other both succeed. */
export const SIMULATOR_REFRESH_TOKEN_GRACE_MS = 60_000;
