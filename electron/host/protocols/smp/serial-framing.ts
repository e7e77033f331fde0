// SMP over a UART/console (Zephyr smp_transport.rst, mcumgr smp-console.md):
// a packet travels as text lines. The first line starts with 0x06 0x09, the
// following ones with 0x04 0x14; each ends with '\n'. The base64 text of all
// lines together is [packet length + 2, BE16][packet][CRC-16/XMODEM of the
// packet, BE16]. A line is at most 127 bytes including marker and newline, so
// it holds 124 base64 characters = 93 raw bytes (124 is a multiple of 4, so
// every line except the last decodes on its own, as Zephyr's decoder expects).
//
// The decoder is streaming and shares the wire with a text console: anything
// that is not a frame line is handed to onConsole unchanged, and a broken
// frame is reported (onError) and skipped so the next packet still decodes.
import { HostError } from '../../errors/host-error';
import { crc16Xmodem } from './crc16';
import { decodeBase64Strict, encodeBase64 } from './base64';

export const SERIAL_START_MARKER = [0x06, 0x09] as const;
export const SERIAL_CONTINUATION_MARKER = [0x04, 0x14] as const;
/** Zephyr's MCUMGR_SERIAL_MAX_FRAME: marker + base64 + newline. */
export const SERIAL_MAX_LINE = 127;
/** The 2-byte length field caps a packet (plus its CRC) at 65535 bytes. */
export const SERIAL_MAX_PACKET = 0xffff - 2;

/** Raw (pre-base64) bytes one line carries for a given line limit. */
export function rawBytesPerLine(maxLineLength = SERIAL_MAX_LINE): number {
  const chars = Math.floor((maxLineLength - 3) / 4) * 4;
  if (chars < 4) throw new HostError('invalid-params', 'The SMP serial line limit is too small.', `maxLineLength = ${maxLineLength}`);
  return (chars / 4) * 3;
}

/** Encodes one SMP packet as the lines that carry it (each with marker and '\n'). */
export function encodeSerialLines(packet: Uint8Array, maxLineLength = SERIAL_MAX_LINE): Uint8Array[] {
  if (packet.length > SERIAL_MAX_PACKET)
    throw new HostError('invalid-params', 'The SMP packet is too large for the serial transport.', `${packet.length} bytes, limit ${SERIAL_MAX_PACKET}`);
  const raw = new Uint8Array(packet.length + 4);
  const total = packet.length + 2;
  raw[0] = total >> 8;
  raw[1] = total & 0xff;
  raw.set(packet, 2);
  const crc = crc16Xmodem(packet);
  raw[raw.length - 2] = crc >> 8;
  raw[raw.length - 1] = crc & 0xff;
  const per = rawBytesPerLine(maxLineLength);
  const lines: Uint8Array[] = [];
  for (let off = 0; off < raw.length; off += per) {
    const text = encodeBase64(raw.subarray(off, off + per));
    const line = new Uint8Array(text.length + 3);
    line.set(off === 0 ? SERIAL_START_MARKER : SERIAL_CONTINUATION_MARKER, 0);
    for (let i = 0; i < text.length; i++) line[2 + i] = text.charCodeAt(i);
    line[line.length - 1] = 0x0a;
    lines.push(line);
  }
  return lines;
}

/** The lines of encodeSerialLines joined into one buffer, ready to write. */
export function encodeSerialPacket(packet: Uint8Array, maxLineLength = SERIAL_MAX_LINE): Uint8Array {
  const lines = encodeSerialLines(packet, maxLineLength);
  const out = new Uint8Array(lines.reduce((n, l) => n + l.length, 0));
  let at = 0;
  for (const l of lines) {
    out.set(l, at);
    at += l.length;
  }
  return out;
}

/** Serial bytes needed to send a packet of `packetLength` bytes. */
export function serialEncodedLength(packetLength: number, maxLineLength = SERIAL_MAX_LINE): number {
  const raw = packetLength + 4;
  const per = rawBytesPerLine(maxLineLength);
  const lines = Math.ceil(raw / per);
  return lines * 3 + Math.ceil(raw / 3) * 4;
}

export interface SerialDecoderSink {
  /** A complete packet whose CRC checked out (the SMP header + CBOR). */
  onPacket(packet: Uint8Array): void;
  /** Bytes that were not SMP frames: console output, log lines, prompts. */
  onConsole?(bytes: Uint8Array): void;
  /** A frame that had to be thrown away, with the reason. Decoding continues. */
  onError?(err: HostError): void;
}

export interface SerialDecoderOptions {
  /** Longest frame line accepted (marker + text, newline excluded). Zephyr sends ≤ 126; default is lenient. */
  maxLineLength?: number;
}

type Mode = 'console' | 'marker' | 'frame' | 'discard';
type Kind = 'start' | 'continuation';

interface PacketInProgress {
  text: string;
  bytes: number[];
  lines: number;
}

export class SerialFrameDecoder {
  private mode: Mode = 'console';
  private markerByte = 0;
  private kind: Kind = 'start';
  private console: number[] = [];
  private line: number[] = [];
  private pkt: PacketInProgress | null = null;
  private readonly maxLine: number;

  constructor(
    private readonly sink: SerialDecoderSink,
    options: SerialDecoderOptions = {},
  ) {
    this.maxLine = options.maxLineLength ?? 512;
  }

  /** True while a packet has started but not yet completed. */
  get midPacket(): boolean {
    return this.pkt !== null;
  }

  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) this.byte(chunk[i]);
    this.flushConsole();
  }

  /** Forgets any partial frame (after a link reset). */
  reset(): void {
    this.mode = 'console';
    this.line = [];
    this.pkt = null;
    this.flushConsole();
  }

  private byte(b: number): void {
    switch (this.mode) {
      case 'console':
        if (b === 0x06 || b === 0x04) {
          this.markerByte = b;
          this.mode = 'marker';
        } else this.console.push(b);
        return;
      case 'marker': {
        const kind: Kind | null = this.markerByte === 0x06 && b === 0x09 ? 'start' : this.markerByte === 0x04 && b === 0x14 ? 'continuation' : null;
        if (kind) {
          this.flushConsole();
          this.kind = kind;
          this.line = [];
          this.mode = 'frame';
          return;
        }
        this.console.push(this.markerByte);
        this.mode = 'console';
        this.byte(b);
        return;
      }
      case 'frame':
        if (b === 0x0a) {
          this.mode = 'console';
          this.endLine();
        } else if (b === 0x06 || b === 0x04) {
          // A new marker inside a frame line: the newline was lost.
          this.fail(`a ${this.kind} frame line was cut off by a new marker before its newline`, true);
          this.markerByte = b;
          this.mode = 'marker';
        } else if (this.line.length >= this.maxLine) {
          this.fail(`a frame line is longer than ${this.maxLine} characters without a newline`, true);
          this.mode = 'discard';
        } else this.line.push(b);
        return;
      case 'discard':
        if (b === 0x0a) this.mode = 'console';
        return;
    }
  }

  private endLine(): void {
    let end = this.line.length;
    if (end > 0 && this.line[end - 1] === 0x0d) end--; // a tty may turn \n into \r\n
    const text = String.fromCharCode(...this.line.slice(0, end));
    this.line = [];
    if (this.kind === 'start') {
      if (this.pkt) this.fail(`a new packet started before the previous one was complete (${this.progress()})`, true);
      this.pkt = { text: '', bytes: [], lines: 0 };
    } else if (!this.pkt) {
      this.fail('a continuation frame arrived without a start frame', false);
      return;
    }
    const pkt = this.pkt!;
    pkt.lines++;
    pkt.text += text;
    if (pkt.text.length % 4 !== 0) return; // a line split mid-quantum; wait for the rest
    let raw: Uint8Array;
    try {
      raw = decodeBase64Strict(pkt.text);
    } catch (err) {
      this.fail(`line ${pkt.lines} of the packet is not valid base64: ${(err as HostError).detail}`, true);
      return;
    }
    pkt.text = '';
    for (const x of raw) pkt.bytes.push(x);
    if (pkt.bytes.length < 2) return;
    const declared = (pkt.bytes[0] << 8) | pkt.bytes[1];
    if (declared < 3) {
      this.fail(`the length field says ${declared} bytes, too short for a packet and its CRC`, true);
      return;
    }
    const have = pkt.bytes.length - 2;
    if (have < declared) return;
    if (have > declared) {
      this.fail(`the frame carries ${have} bytes after the length field but the length field says ${declared}`, true);
      return;
    }
    const body = Uint8Array.from(pkt.bytes.slice(2, pkt.bytes.length - 2));
    const sent = (pkt.bytes[pkt.bytes.length - 2] << 8) | pkt.bytes[pkt.bytes.length - 1];
    const computed = crc16Xmodem(body);
    this.pkt = null;
    if (sent !== computed) {
      this.report(`CRC mismatch: the frame says 0x${hex4(sent)}, the data gives 0x${hex4(computed)} (${body.length}-byte packet)`);
      return;
    }
    this.sink.onPacket(body);
  }

  private progress(): string {
    const p = this.pkt!;
    if (p.bytes.length < 2) return 'length field not yet received';
    return `had ${p.bytes.length - 2} of ${(p.bytes[0] << 8) | p.bytes[1]} bytes`;
  }

  private fail(why: string, dropPacket: boolean): void {
    if (dropPacket) this.pkt = null;
    this.line = [];
    this.report(why);
  }

  private report(why: string): void {
    this.sink.onError?.(new HostError('protocol-error', 'A garbled SMP frame was received and dropped.', why));
  }

  private flushConsole(): void {
    if (this.console.length === 0) return;
    const out = Uint8Array.from(this.console);
    this.console = [];
    this.sink.onConsole?.(out);
  }
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}
