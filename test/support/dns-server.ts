import { createSocket, RemoteInfo, Socket } from 'node:dgram';

/** A name server for tests: answers TXT queries from `records` (name → texts), NXDOMAIN for unknown names. */
export interface TestDnsServer {
  port: number;
  /** Lower-case name without the trailing dot → TXT records; edit it while the server runs. */
  records: Map<string, string[]>;
  /** Names the server never answers, so a resolver times out. */
  silent: Set<string>;
  stop(): Promise<void>;
}

const TYPE_TXT = 16;
const CLASS_IN = 1;
const NXDOMAIN = 3;
const FORMERR = 1;

/** A TXT record's RDATA: the text split into character-strings of at most 255 bytes (RFC 1035 3.3.14). */
function txtRdata(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const chunk = bytes.subarray(i, i + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
    if (!bytes.length) break;
  }
  return Buffer.concat(parts);
}

/** The question's name (labels, no compression in a query) and where the question's type starts. */
function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  for (;;) {
    const len = msg[offset];
    if (len === undefined || len > 63) throw new Error('bad name');
    offset += 1;
    if (len === 0) break;
    labels.push(msg.subarray(offset, offset + len).toString('latin1'));
    offset += len;
  }
  return { name: labels.join('.'), end: offset };
}

function answer(query: Buffer, records: Map<string, string[]>, silent: Set<string>): Buffer | null {
  if (query.length < 12) return null;
  const id = query.readUInt16BE(0);
  const flags = query.readUInt16BE(2);
  // Echo opcode and RD; set QR and AA.
  const head = (rcode: number, qd: number, an: number) => {
    const h = Buffer.alloc(12);
    h.writeUInt16BE(id, 0);
    h.writeUInt16BE(0x8000 | (flags & 0x7800) | 0x0400 | (flags & 0x0100) | rcode, 2);
    h.writeUInt16BE(qd, 4);
    h.writeUInt16BE(an, 6);
    return h;
  };
  if (query.readUInt16BE(4) !== 1) return head(FORMERR, 0, 0);
  let q: { name: string; end: number };
  try {
    q = readName(query, 12);
  } catch {
    return head(FORMERR, 0, 0);
  }
  const question = query.subarray(12, q.end + 4);
  const qtype = query.readUInt16BE(q.end);
  const qclass = query.readUInt16BE(q.end + 2);
  const name = q.name.toLowerCase();
  if (silent.has(name)) return null;
  const texts = records.get(name);
  if (!texts) return Buffer.concat([head(NXDOMAIN, 1, 0), question]);
  // The name exists: other types (and classes) get an empty NOERROR answer (NODATA).
  if (qtype !== TYPE_TXT || qclass !== CLASS_IN) return Buffer.concat([head(0, 1, 0), question]);
  const answers = texts.map((text) => {
    const rdata = txtRdata(text);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    rr.writeUInt16BE(TYPE_TXT, 2);
    rr.writeUInt16BE(CLASS_IN, 4);
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([head(0, 1, answers.length), question, ...answers]);
}

export async function startDnsServer(initial: Record<string, string[]> = {}): Promise<TestDnsServer> {
  const records = new Map(Object.entries(initial).map(([k, v]) => [k.toLowerCase().replace(/\.$/, ''), v]));
  const silent = new Set<string>();
  const socket: Socket = createSocket('udp4');
  socket.on('message', (msg: Buffer, from: RemoteInfo) => {
    const reply = answer(msg, records, silent);
    if (reply) socket.send(reply, from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  return {
    port: socket.address().port,
    records,
    silent,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
