import { describe, expect, it } from 'vitest';
import { SecAggProtocolError, SecAggRefusalError } from '../../../engine/secagg/errors.ts';
import type { MaskedInputResponse, UnmaskRequest } from '../../../engine/secagg/messages.ts';
import { SecAggParticipant } from '../../../engine/secagg/participant.ts';
import { quantize } from '../../../engine/secagg/quantization.ts';
import { makeRound } from './round-fixture.ts';

/** Runs advertise-keys, share-keys and masked-input of an n = 3 round; returns what the server saw. */
async function roundAfterMasking(vectorLength = 8, update?: Float32Array) {
  const round = makeRound({ n: 3, threshold: 2, graph: { kind: 'complete' }, vectorLength });
  if (update) (round.members.get(round.ids[0]!) as { update: Float32Array }).update = update;
  const { server, transport } = round;
  const deliver = async (
    stage: Parameters<typeof transport.exchange>[0],
    requests: Parameters<typeof transport.exchange>[1],
  ) => {
    const answers = await transport.exchange(stage, requests);
    for (const answer of answers) server.receive(answer);
    return answers;
  };
  await deliver('advertise-keys', server.advertiseKeysRequests());
  await deliver('share-keys', server.shareKeysRequests());
  const masked = (await deliver('masked-input', server.maskedInputRequests())) as MaskedInputResponse[];
  const [a, b, c] = round.ids as [string, string, string];
  const participant = round.members.get(a)!.participant;
  const unmask = (selfMaskSharesOf: string[], maskKeySharesOf: string[]): UnmaskRequest => ({
    kind: 'unmask-request',
    roundId: server.config.roundId,
    participantId: a,
    selfMaskSharesOf,
    maskKeySharesOf,
  });
  return { round, participant, masked, ids: { a, b, c }, unmask };
}

describe('SecAggParticipant never reveals both shares of one peer', () => {
  it('refuses a request for the self-mask share and the mask-key share of the same peer, naming it', async () => {
    const { participant, ids, unmask } = await roundAfterMasking();
    const refusal = (() => {
      try {
        participant.unmask(unmask([ids.a, ids.b], [ids.b]));
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(SecAggRefusalError);
    expect((refusal as SecAggRefusalError).peerId).toBe(ids.b);
    expect((refusal as Error).message).toContain(ids.b);
    // Once refused, it answers nothing more in this round — not even a harmless request.
    expect(() => participant.unmask(unmask([ids.a, ids.b], []))).toThrow(SecAggProtocolError);
  });

  it('refuses across requests: after revealing a peer self-mask share it never reveals its key share', async () => {
    const { participant, ids, unmask } = await roundAfterMasking();
    const first = participant.unmask(unmask([ids.a, ids.b], []));
    expect(first.selfMaskShares.map((share) => share.peerId)).toEqual([ids.a, ids.b]);
    expect(() => participant.unmask(unmask([ids.a], [ids.b]))).toThrow(new RegExp(`both .* of ${ids.b}`));
  });

  it('refuses across requests in the other order too', async () => {
    const { participant, ids, unmask } = await roundAfterMasking();
    participant.unmask(unmask([ids.a, ids.b], [ids.c]));
    expect(() => participant.unmask(unmask([ids.a, ids.c], []))).toThrow(SecAggRefusalError);
  });

  it('refuses to reveal its own mask key after sending its masked input', async () => {
    const { participant, ids, unmask } = await roundAfterMasking();
    expect(() => participant.unmask(unmask([ids.b, ids.c], [ids.a]))).toThrow(/own mask key/);
  });

  it('answers a legitimate request with exactly the shares asked for', async () => {
    const { participant, ids, unmask } = await roundAfterMasking();
    const answer = participant.unmask(unmask([ids.a, ids.b], [ids.c]));
    expect(answer.selfMaskShares.map((share) => share.peerId)).toEqual([ids.a, ids.b]);
    expect(answer.maskKeyShares.map((share) => share.peerId)).toEqual([ids.c]);
  });

  it('aborts when fewer than t of its neighbourhood sent masked inputs', async () => {
    const { participant, ids, unmask } = await roundAfterMasking();
    expect(() => participant.unmask(unmask([ids.a], [ids.b]))).toThrow(/aborted at unmask.*threshold 2/);
  });
});

describe('SecAggParticipant checks the round before committing secrets', () => {
  const request = {
    kind: 'advertise-keys-request' as const,
    roundId: 'r',
    participantId: 'p',
    threshold: 3,
    degree: 4,
    vectorLength: 10,
    clipRange: 1,
    bitsPerValue: 16,
  };

  it('refuses a threshold of half its neighbourhood or less', () => {
    expect(() => new SecAggParticipant('p').advertiseKeys({ ...request, threshold: 2 })).toThrow(
      /threshold 2 must be an integer in 3…5/,
    );
  });

  it('refuses an id that could be confused inside key-derivation labels', () => {
    expect(() => new SecAggParticipant('a\0b')).toThrow(/contain no NUL/);
    expect(() => new SecAggParticipant('')).toThrow(/non-empty/);
  });

  it('refuses a request addressed to another participant', () => {
    expect(() => new SecAggParticipant('q').advertiseKeys(request)).toThrow(/for p .* reached q/);
  });

  it('answers stages only in order', async () => {
    const participant = new SecAggParticipant('p');
    expect(() =>
      participant.unmask({
        kind: 'unmask-request',
        roundId: 'r',
        participantId: 'p',
        selfMaskSharesOf: [],
        maskKeySharesOf: [],
      }),
    ).toThrow(/cannot answer unmask-request in stage new/);
  });

  it('refuses an update outside the clipping range, naming the index; the round goes on without it', async () => {
    const round = makeRound({ n: 3, threshold: 2, graph: { kind: 'complete' }, vectorLength: 4 });
    const bad = Float32Array.of(0, 0.5, 1.5, 0);
    (round.members.get(round.ids[1]!) as { update: Float32Array }).update = bad;
    const result = await round.run();
    expect(result.contributors).toEqual([round.ids[0], round.ids[2]]);
    expect(round.transport.failures.get(round.ids[1]!)?.message).toMatch(
      /1\.5 at index 2 is outside the clipping range/,
    );
  });
});

/**
 * χ² statistic of byte frequencies against the uniform distribution over 256 values. Under uniformity
 * it follows χ²(255) closely (every expected count is ≥ 256).
 */
function chiSquare(values: Iterable<number>, buckets: number): number {
  const counts = new Float64Array(buckets);
  let total = 0;
  for (const value of values) {
    counts[value]!++;
    total++;
  }
  const expected = total / buckets;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

/**
 * Upper 1e-7 quantile of χ²(255) by the Wilson–Hilferty cube approximation: with z = 5.199 (the normal
 * 1e-7 tail), 255·(1 − 2/(9·255) + z·√(2/(9·255)))³ ≈ 390.5. The masks come from node:crypto, which no
 * test can seed, so each comparison fails on a correct implementation with probability ≈ 1e-7; the two
 * comparisons below together with probability < 1e-6.
 */
const df = 255;
const critical = df * (1 - 2 / (9 * df) + 5.199 * Math.sqrt(2 / (9 * df))) ** 3;

describe('a masked input is indistinguishable from uniform to the server', () => {
  it('passes χ² tests on bytes and on the top 8 bits of each 32-bit word at significance 1e-7', async () => {
    const length = 1 << 16;
    const constant = new Float32Array(length).fill(0.25); // the least random input there is
    const { masked, ids } = await roundAfterMasking(length, constant);
    const seen = masked.find((answer) => answer.participantId === ids.a)!.maskedInput;
    expect(seen.byteLength).toBe(length * 4);
    expect(critical).toBeGreaterThan(389);
    expect(critical).toBeLessThan(392);
    expect(chiSquare(seen, 256)).toBeLessThan(critical);
    const words = new Uint32Array(seen.buffer, seen.byteOffset, length);
    expect(
      chiSquare(
        Array.from(words, (word) => word >>> 24),
        256,
      ),
    ).toBeLessThan(critical);
    // The same test does detect structure: the unmasked quantized input fails it by far.
    const plain = quantize(constant, { clipRange: 1, bitsPerValue: 20 });
    expect(
      chiSquare(
        Array.from(plain, (word) => word >>> 24),
        256,
      ),
    ).toBeGreaterThan(100 * critical);
  });
});
