/**
 * Secure aggregation cost per participant and on the server, against a plaintext float32 upload.
 * n = 10 uses classic SecAgg (complete graph); n = 50 and 100 use SecAgg+ with a k = 16 regular graph
 * (Bell et al. 2020 need k = O(log n)); t is the smallest majority of a neighbourhood. Every message
 * goes through its byte encoding, and the bytes counted are those encodings.
 * client_ms: mean per participant of its time in all four stages (message decoding and encoding included);
 * server_ms: all of the server's work in the round; bytes_ratio: mean bytes a participant sends over the
 * bytes of a plain float32 upload of the same update (4 per parameter).
 * Usage: npm run bench:secagg [-- params]   (default 1 000 000 parameters)
 */
import { performance } from 'node:perf_hooks';
import type { SecAggStage } from '../engine/secagg/errors.ts';
import { InProcessTransport, type InProcessMember } from '../engine/secagg/in-process-transport.ts';
import type { SecAggRequest } from '../engine/secagg/messages.ts';
import type { NeighbourGraphSpec } from '../engine/secagg/neighbour-graph.ts';
import { SecAggParticipant } from '../engine/secagg/participant.ts';
import { quantizationFor } from '../engine/secagg/quantization.ts';
import { minimumThreshold } from '../engine/secagg/round-parameters.ts';
import { SecAggServer } from '../engine/secagg/server.ts';

const params = Number(process.argv[2] ?? 1_000_000);
const clipRange = 0.01;
const sparseDegree = 16;

function update(seed: number): Float32Array {
  const values = new Float32Array(params);
  for (let i = 0; i < params; i++) values[i] = Math.sin(seed * 7919 + i) * clipRange;
  return values;
}

async function bench(n: number, dropouts: number) {
  const graph: NeighbourGraphSpec = n <= 10 ? { kind: 'complete' } : { kind: 'k-regular', degree: sparseDegree };
  const degree = graph.kind === 'complete' ? n - 1 : graph.degree;
  const ids = Array.from({ length: n }, (_, i) => `site-${i}`);
  const members = new Map<string, InProcessMember>(
    ids.map((id, i) => [
      id,
      {
        participant: new SecAggParticipant(id),
        update: update(i),
        dropAt: i < dropouts ? ('masked-input' as SecAggStage) : undefined,
      },
    ]),
  );
  let serverMs = 0;
  const timed = <T>(step: () => T): T => {
    const started = performance.now();
    const result = step();
    serverMs += performance.now() - started;
    return result;
  };
  const server = timed(
    () =>
      new SecAggServer({
        roundId: 'bench',
        participantIds: ids,
        threshold: minimumThreshold(degree),
        graph,
        vectorLength: params,
        quantization: quantizationFor(clipRange, n),
      }),
  );
  const transport = new InProcessTransport(members);
  const stage = async (name: SecAggStage, requests: SecAggRequest[]) => {
    for (const answer of await transport.exchange(name, requests)) timed(() => server.receive(answer));
  };
  await stage(
    'advertise-keys',
    timed(() => server.advertiseKeysRequests()),
  );
  await stage(
    'share-keys',
    timed(() => server.shareKeysRequests()),
  );
  await stage(
    'masked-input',
    timed(() => server.maskedInputRequests()),
  );
  await stage(
    'unmask',
    timed(() => server.unmaskRequests()),
  );
  const started = performance.now();
  const result = await server.finish();
  serverMs += performance.now() - started;

  // Check the sum, and time the plaintext baseline: summing the float32 updates.
  const plainStart = performance.now();
  const plain = new Float64Array(params);
  for (const id of result.contributors) {
    const values = members.get(id)!.update;
    for (let i = 0; i < params; i++) plain[i] = plain[i]! + values[i]!;
  }
  const plainServerMs = performance.now() - plainStart;
  let worst = 0;
  for (let i = 0; i < params; i++) worst = Math.max(worst, Math.abs(plain[i]! - result.sum[i]!));
  if (worst > result.errorBound) throw new Error(`sum off by ${worst}, bound ${result.errorBound}`);

  const active = ids.slice(dropouts).map((id) => transport.traffic.get(id)!);
  const mean = (pick: (t: (typeof active)[number]) => number) =>
    active.reduce((s, t) => s + pick(t), 0) / active.length;
  const plaintextBytes = params * 4;
  return {
    n,
    params,
    graph: graph.kind === 'complete' ? `complete (k=${degree})` : `k-regular (k=${degree})`,
    threshold: minimumThreshold(degree),
    dropouts,
    client_ms: Math.round(mean((t) => t.clientMs) * 10) / 10,
    server_ms: Math.round(serverMs),
    plain_server_ms: Math.round(plainServerMs),
    bytes_sent: Math.round(mean((t) => t.bytesSent)),
    bytes_received: Math.round(mean((t) => t.bytesReceived)),
    bytes_ratio: Math.round((mean((t) => t.bytesSent) / plaintextBytes) * 10000) / 10000,
    total_bytes_ratio: Math.round((mean((t) => t.bytesSent + t.bytesReceived) / plaintextBytes) * 10000) / 10000,
    max_error: worst,
    error_bound: result.errorBound,
  };
}

const rows = [];
for (const [n, dropouts] of [
  [10, 0],
  [50, 0],
  [100, 5],
  [100, 0],
] as const) {
  const row = await bench(n, dropouts);
  rows.push(row);
  console.log(
    `n=${row.n} ${row.graph} t=${row.threshold} dropouts=${row.dropouts}: client ${row.client_ms} ms, ` +
      `server ${row.server_ms} ms (plaintext sum ${row.plain_server_ms} ms), sent ${row.bytes_sent} B ` +
      `(×${row.bytes_ratio} of a ${params * 4} B float32 upload; ×${row.total_bytes_ratio} counting received), ` +
      `max error ${row.max_error.toExponential(2)} ≤ ${row.error_bound.toExponential(2)}`,
  );
}
const last = rows.at(-1)!;
console.log(
  JSON.stringify({
    n: last.n,
    params: last.params,
    client_ms: last.client_ms,
    server_ms: last.server_ms,
    bytes_ratio: last.bytes_ratio,
  }),
);
