import type { SampleBatch } from '../sample-batch';

/** One malformed line or frame; the parser skips it and carries on. */
export interface ParseError {
  /** Stream byte offset where the bad line or frame starts. */
  offset: number;
  /** 1-based line number for text formats. */
  line?: number;
  message: string;
}

export interface ParseResult {
  samples: SampleBatch;
  errors: ParseError[];
}

/**
 * Every telemetry format implements this. Parsers are pure and streaming:
 * feed any chunking of the byte stream and get the same samples, with partial
 * lines and frames kept until the next chunk.
 */
export interface TelemetryParser {
  feed(chunk: Uint8Array, hostTimeMs: number): ParseResult;
}
