/**
 * The two Shamir shares one participant sends another, sealed with AES-256-GCM under their agreed
 * key. The associated data binds sender, receiver and round, so the server cannot replay a sealed
 * share to another receiver or into another round (Bonawitz et al. 2017, round 1 "ShareKeys").
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ByteReader, ByteWriter } from './byte-io.ts';
import { SecAggProtocolError } from './errors.ts';

const nonceBytes = 12;
const tagBytes = 16;

export interface SharePair {
  /** Share of the sender's self-mask seed b_u. */
  readonly selfMaskShare: Uint8Array;
  /** Share of the sender's mask (X25519) private key s_u. */
  readonly maskKeyShare: Uint8Array;
}

export interface ShareEnvelope {
  readonly roundId: string;
  readonly senderId: string;
  readonly receiverId: string;
}

function associatedData(envelope: ShareEnvelope): Buffer {
  return Buffer.from(['accord/secagg/v1/share', envelope.roundId, envelope.senderId, envelope.receiverId].join('\0'));
}

/** nonce ‖ ciphertext ‖ tag. */
export function sealShares(key: Uint8Array, envelope: ShareEnvelope, shares: SharePair): Uint8Array {
  const plaintext = new ByteWriter()
    .string(envelope.senderId)
    .string(envelope.receiverId)
    .bytes(shares.selfMaskShare)
    .bytes(shares.maskKeyShare)
    .finish();
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: tagBytes });
  cipher.setAAD(associatedData(envelope));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([nonce, body, cipher.getAuthTag()]));
}

/** Opens a sealed pair; fails, naming the sender, if the key, the envelope or any byte differs. */
export function openShares(key: Uint8Array, envelope: ShareEnvelope, sealed: Uint8Array): SharePair {
  if (sealed.byteLength < nonceBytes + tagBytes) {
    throw new SecAggProtocolError(`sealed shares from ${envelope.senderId} are too short (${sealed.byteLength} bytes)`);
  }
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, nonceBytes), { authTagLength: tagBytes });
  decipher.setAAD(associatedData(envelope));
  decipher.setAuthTag(sealed.subarray(sealed.byteLength - tagBytes));
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([
      decipher.update(sealed.subarray(nonceBytes, sealed.byteLength - tagBytes)),
      decipher.final(),
    ]);
  } catch {
    throw new SecAggProtocolError(
      `sealed shares from ${envelope.senderId} to ${envelope.receiverId} failed authentication in round ${envelope.roundId}`,
    );
  }
  const reader = new ByteReader(new Uint8Array(plaintext));
  const senderId = reader.string('sender id');
  const receiverId = reader.string('receiver id');
  if (senderId !== envelope.senderId || receiverId !== envelope.receiverId) {
    throw new SecAggProtocolError(
      `sealed shares name ${senderId}→${receiverId}, expected ${envelope.senderId}→${envelope.receiverId}`,
    );
  }
  const pair = { selfMaskShare: reader.bytes('self-mask share'), maskKeyShare: reader.bytes('mask-key share') };
  reader.end('sealed shares');
  return pair;
}
