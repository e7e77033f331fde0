import type { SampleBatch } from '../sample-batch';
import type { ParseError } from '../parsers/parser';

/** Where a source delivers; the pipeline is the usual sink. */
export interface TelemetrySink {
  samples(batch: SampleBatch, sourceId: string): void;
  /** Malformed input or failed reads; the source keeps running. */
  errors(errors: ParseError[], sourceId: string): void;
  /** The source stopped on its own (link lost); reason is absent after a deliberate stop. */
  ended(sourceId: string, reason?: Error): void;
}

/**
 * Something that produces samples: a byte stream through a parser, a polled
 * reader (SMP stats, fwctl feature reads), hwmon. Transport and format stay
 * apart: any ByteStream works with any TelemetryParser.
 */
export interface TelemetrySource {
  readonly id: string;
  start(sink: TelemetrySink): Promise<void>;
  stop(): Promise<void>;
  readonly running: boolean;
}
