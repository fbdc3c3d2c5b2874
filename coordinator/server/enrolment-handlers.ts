/** Hello (version negotiation and limits) and Enrol (invitation token → participant id). */
import { create } from '@bufbuild/protobuf';
import { createHash, randomUUID } from 'node:crypto';
import { protocolVersion } from '../../protocol/federation-methods.ts';
import { EnrolResponseSchema, HelloResponseSchema } from '../../protocol/gen/accord/v1/federation_pb.js';
import type { EnrolRequest, HelloRequest } from '../../protocol/gen/accord/v1/federation_pb.js';
import type { CoordinatorContext, IncomingRequest } from './coordinator-context.ts';
import {
  failedPrecondition,
  invalidArgument,
  permissionDenied,
  resourceExhausted,
  unauthenticated,
} from './federation-error.ts';

/** Enough for a 1 MiB chunk plus its envelope; anything larger is refused by gRPC with RESOURCE_EXHAUSTED. */
export function maxMessageBytes(chunkBytes: number): number {
  return chunkBytes + 64 * 1024;
}

export function hello(context: CoordinatorContext, request: IncomingRequest<HelloRequest>) {
  if (!request.message.supportedVersions.includes(protocolVersion)) {
    throw failedPrecondition(
      `no common protocol version: the participant speaks [${request.message.supportedVersions.join(', ')}], the coordinator ${protocolVersion}`,
    );
  }
  const { limits, federation } = context.config;
  return create(HelloResponseSchema, {
    version: protocolVersion,
    federationId: context.federationId,
    federationName: federation.name,
    maxMessageBytes: maxMessageBytes(limits.chunkBytes),
    chunkBytes: limits.chunkBytes,
    maxUpdateBytes: BigInt(limits.maxUpdateBytes),
    coordinatorPublicKey: context.publicKeyRaw,
  });
}

export function tokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function enrol(context: CoordinatorContext, request: IncomingRequest<EnrolRequest>) {
  if (!context.enrolAttempts.take(request.clientAddress)) {
    const { enrolBurst, enrolRefillSeconds } = context.config.transport;
    throw resourceExhausted(
      `too many enrolment attempts from ${request.clientAddress}: ${enrolBurst} at once, then one every ${enrolRefillSeconds} s`,
    );
  }
  const { invitationToken, publicKey, displayName } = request.message;
  if (publicKey.length !== 32)
    throw invalidArgument(`public_key must be a raw 32-byte Ed25519 key, got ${publicKey.length} bytes`);
  if (displayName.length > 200) throw invalidArgument('display_name is longer than 200 characters');
  const hash = tokenSha256(invitationToken);
  const invitation = context.store.invitation(hash);
  if (!invitation) throw unauthenticated('the invitation token is not one this coordinator issued');
  const response = (participantId: string) =>
    create(EnrolResponseSchema, {
      participantId,
      federationId: context.federationId,
      coordinatorPublicKey: context.publicKeyRaw,
    });
  if (invitation.usedBy) {
    // The same key enrolling again (a retry after a lost answer) gets the same id.
    const existing = context.store.participant(invitation.usedBy);
    if (existing && Buffer.from(existing.publicKey).equals(Buffer.from(publicKey))) return response(existing.id);
    throw permissionDenied('the invitation token has already been used by another participant');
  }
  if (Date.parse(invitation.expiresAt) < Date.now())
    throw permissionDenied(`the invitation token expired at ${invitation.expiresAt}`);
  const participantId = randomUUID();
  try {
    context.store.enrol(hash, {
      id: participantId,
      publicKey: Buffer.from(publicKey),
      displayName,
      enrolledAt: new Date().toISOString(),
    });
  } catch (error) {
    if (String((error as Error).message).includes('UNIQUE'))
      throw permissionDenied('this public key is already enrolled under another invitation');
    throw error;
  }
  return response(participantId);
}
