import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimulatorState } from './controls.ts';
import type { AccessTokenKind } from './tokens.ts';

/** One authenticated Partner Center request, as every route sees it. */
export interface PartnerCenterRequest {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  tokenKind: AccessTokenKind;
  /** MS-RequestId and MS-CorrelationId, echoed on every answer as Partner Center does. */
  echoHeaders: Record<string, string>;
  state: SimulatorState;
}
