// A whole SMP message: header + CBOR map. Pure; the transport framing is separate.
import { HostError } from '../../errors/host-error';
import { decodeCborMap, encodeCbor, type CborMap } from './cbor';
import { decodeHeader, encodeHeader, SMP_HEADER_SIZE, type SmpHeader, type SmpOpCode, type SmpVersion } from './header';

export interface SmpMessage {
  header: SmpHeader;
  body: CborMap;
}

export interface SmpMessageFields {
  version: SmpVersion;
  op: SmpOpCode;
  group: number;
  id: number;
  seq: number;
  flags?: number;
  body: CborMap;
}

export function encodeMessage(m: SmpMessageFields): Uint8Array {
  const body = encodeCbor(m.body);
  const header = encodeHeader({ version: m.version, op: m.op, flags: m.flags ?? 0, length: body.length, group: m.group, seq: m.seq, id: m.id });
  const out = new Uint8Array(SMP_HEADER_SIZE + body.length);
  out.set(header);
  out.set(body, SMP_HEADER_SIZE);
  return out;
}

export function decodeMessage(packet: Uint8Array): SmpMessage {
  const header = decodeHeader(packet);
  const dataLen = packet.length - SMP_HEADER_SIZE;
  if (header.length !== dataLen)
    throw new HostError(
      'protocol-error',
      'The device sent an SMP message whose length field does not match its size.',
      `header says ${header.length} data bytes, packet has ${dataLen} (group ${header.group}, id ${header.id}, seq ${header.seq})`,
    );
  return { header, body: decodeCborMap(packet.subarray(SMP_HEADER_SIZE)) };
}
