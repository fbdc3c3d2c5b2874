/**
 * For the renderer's controller tests: the real ParticipantApi of a participant node on a temp data folder,
 * called through the same validated dispatch as both transports, so a controller meets exactly what the
 * renderer meets (errors as ApiCallError-like exceptions with the participant's message).
 */
import { methodNames, type ParticipantApi } from '../../preload/contract.ts';
import { createParticipantApi } from '../../main/participant/api/participant-api.ts';
import { dispatch } from '../../main/participant/api/dispatch.ts';
import type { ParticipantNode } from '../../main/participant/participant-node.ts';
import type { Participation } from '../../main/participant/participation/participation.ts';

export function dispatchedApi(node: ParticipantNode, participation?: Participation): ParticipantApi {
  const api = createParticipantApi(node, participation);
  const calls: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const method of methodNames) {
    calls[method] = async (request) => {
      const envelope = await dispatch(api, method, request);
      if (!envelope.ok) throw new Error(envelope.error.message);
      return envelope.value;
    };
  }
  return calls as ParticipantApi;
}
