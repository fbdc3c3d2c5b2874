/**
 * The one implementation of the ParticipantApi. Both transports (Electron IPC, headless WebSocket)
 * serve this object; typing it as ParticipantApi makes a missing method a compile error.
 */
import { methodNames, type ParticipantApi } from '../../../preload/contract.ts';
import type { ParticipantNode } from '../participant-node.ts';
import { readAppInfo } from './app-info.ts';
import { readWorkstationSettings } from '../settings/workstation-settings.ts';
import type { Participation } from '../participation/participation.ts';
import { createFederationMethods, federationMethodNames } from './federation-methods.ts';
import { createDomainMethods, unavailableDomainMethods } from './participant-methods.ts';

/** With a Participation the node also enrols and takes part in federations (desktop app, headless server). */
export function createParticipantApi(node?: ParticipantNode, participation?: Participation): ParticipantApi {
  return {
    'app.info': async () => readAppInfo(node ? readWorkstationSettings(node.database.db).computeDevice : 'auto'),
    ...(node
      ? createDomainMethods(node, participation && (() => participation.verifyAudit()))
      : unavailableDomainMethods(methodNames, federationMethodNames)),
    ...createFederationMethods(participation),
  };
}
