/**
 * The one implementation of the ParticipantApi. Both transports (Electron IPC, headless WebSocket)
 * serve this object; typing it as ParticipantApi makes a missing method a compile error.
 */
import type { ParticipantApi } from '../../../preload/contract.ts';
import { readAppInfo } from './app-info.ts';

export function createParticipantApi(): ParticipantApi {
  return {
    'app.info': async () => readAppInfo(),
  };
}
