// Telemetry, host side: parsers (bytes → columnar samples), sources (where
// bytes or readings come from; transport and format stay apart), the
// pipeline (per-channel rings, min/max decimation, alarms, ~50 ms display
// batches with back-pressure) and the recorder (.fwtl + CSV, crash-safe up
// to the last flushed block) with its reader and CSV export. Runs under
// plain Node; no Electron, no DOM.
export type { ChannelColumn, SampleBatch } from './sample-batch';
export { SampleBatchBuilder, ColumnBuilder, batchFromSamples, samplesOf } from './sample-batch';
export type { TelemetryParser, ParseResult, ParseError } from './parsers/parser';
export { CsvParser, type CsvParserOptions, type CsvDelimiter } from './parsers/csv-parser';
export { PlotterParser, type PlotterParserOptions } from './parsers/plotter-parser';
export { JsonLinesParser, type JsonLinesParserOptions } from './parsers/json-lines-parser';
export { BinaryFrameParser, type FrameFormat, type FrameField, type FramePad, type FieldType, type Endian } from './parsers/binary-frame-parser';
export { type ChecksumKind, sum8, xor8, crc16Ccitt, crc32 } from './parsers/checksums';
export type { TelemetrySource, TelemetrySink } from './sources/source';
export { StreamSource } from './sources/stream-source';
export { PolledSource, type PollResult, type PolledSourceOptions } from './sources/polled-source';
export { discoverHwmon, HwmonSource, type HwmonDevice, type HwmonSensor, type HwmonKind } from './sources/hwmon';
export { ChannelRing, type Decimated } from './ring-buffer';
export { ChannelAlarm, type AlarmSpec, type AlarmEvent } from './alarms';
export {
  TelemetryPipeline,
  type ChannelMeta,
  type DisplayBatch,
  type DisplayColumn,
  type PipelineOptions,
  type PipelineStats,
  type SampleRecorder,
  type SourceError,
} from './pipeline';
export { TelemetryRecorder, type RecorderOptions, type RecordingFormat, type RecordingSummary } from './recorder';
export { openRecording, parseRecording, exportCsv, type Recording, type RecordedChannel, type CsvExportOptions } from './recording-reader';
