// A session transcript: JSON lines under <state>/transcripts/. The first line
// is a versioned header; every other line is one step with the host time in ms
// since the start. Bytes are base64. Serial transcripts hold what the host
// wrote and read (SMP frames are in those bytes); fwctl transcripts hold each
// FWCTL_INFO and FWCTL_RPC with its scope, request and reply or error.
import { z } from 'zod';
import { SCOPES } from '../../contract/scopes';
import { ERROR_CODES } from '../../contract/errors';
import { HostError } from '../errors/host-error';

export const TRANSCRIPT_FORMAT = 'fwbench-transcript';
export const TRANSCRIPT_VERSION = 1;

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

export const TranscriptHeader = z
  .object({
    format: z.literal(TRANSCRIPT_FORMAT),
    version: z.literal(TRANSCRIPT_VERSION),
    kind: z.enum(['serial', 'fwctl']),
    startedAt: z.string(),
    sessionId: z.string().optional(),
    device: z.object({ id: z.string(), label: z.string(), kind: z.string(), protocol: z.string(), details: z.record(z.string(), z.string()).default({}) }),
  })
  .strict();
export type TranscriptHeader = z.infer<typeof TranscriptHeader>;

const wireError = z.object({ code: z.enum(ERROR_CODES), message: z.string(), detail: z.string().optional() }).strict();

export const TranscriptStep = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open'), t: z.number() }).strict(),
  z.object({ type: z.literal('write'), t: z.number(), data: b64 }).strict(),
  z.object({ type: z.literal('read'), t: z.number(), data: b64 }).strict(),
  z.object({ type: z.literal('close'), t: z.number(), by: z.enum(['host', 'device']), reason: z.string().optional() }).strict(),
  z.object({ type: z.literal('fwctl-info'), t: z.number(), deviceType: z.number().int(), deviceData: b64 }).strict(),
  z.object({ type: z.literal('fwctl-rpc'), t: z.number(), scope: z.enum(SCOPES), request: b64, outLen: z.number().int().nonnegative(), reply: b64.optional(), error: wireError.optional() }).strict(),
  z.object({ type: z.literal('note'), t: z.number(), text: z.string() }).strict(),
  z.object({ type: z.literal('truncated'), t: z.number(), limitBytes: z.number() }).strict(),
]);
export type TranscriptStep = z.infer<typeof TranscriptStep>;

export interface Transcript {
  header: TranscriptHeader;
  steps: TranscriptStep[];
}

/** Where each step sits in the file: line 1 is the header, step i is on line i + 2. */
export function stepLine(index: number): number {
  return index + 2;
}

export function toB64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromB64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Parses a transcript file's text; every malformed line is an error naming its line. */
export function parseTranscript(text: string, name = 'the transcript'): Transcript {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw new HostError('invalid-params', `${name} is empty.`);
  const json = (line: string, n: number): unknown => {
    try {
      return JSON.parse(line);
    } catch (e) {
      throw new HostError('invalid-params', `${name} is not a transcript: line ${n} is not JSON.`, (e as Error).message);
    }
  };
  const head = TranscriptHeader.safeParse(json(lines[0], 1));
  if (!head.success) {
    const raw = json(lines[0], 1) as { format?: unknown; version?: unknown } | null;
    if (raw?.format === TRANSCRIPT_FORMAT && raw.version !== TRANSCRIPT_VERSION)
      throw new HostError('not-supported', `${name} is transcript version ${String(raw.version)}; this fwbench reads version ${TRANSCRIPT_VERSION}.`);
    throw new HostError('invalid-params', `${name} has no valid transcript header on line 1.`, z.prettifyError(head.error));
  }
  const steps: TranscriptStep[] = [];
  for (let i = 1; i < lines.length; i++) {
    const step = TranscriptStep.safeParse(json(lines[i], i + 1));
    if (!step.success) throw new HostError('invalid-params', `${name} has an invalid step on line ${i + 1}.`, z.prettifyError(step.error));
    steps.push(step.data);
  }
  return { header: head.data, steps };
}
