// Session transcripts: record a session's serial bytes and fwctl RPCs, and play them back as a read-only device.
export { parseTranscript, TRANSCRIPT_FORMAT, TRANSCRIPT_VERSION, type Transcript, type TranscriptHeader, type TranscriptStep } from './transcript-format';
export { TranscriptWriter, MemoryTranscript, type TranscriptSink } from './transcript-writer';
export { recordingStream } from './recording-stream';
export { recordingFwctl } from './recording-fwctl';
export { replayStream } from './replay-stream';
export { replayFwctl } from './replay-fwctl';
export { replayEntry, readOnlyAdapter } from './replay-device';
export { TranscriptStore } from './transcript-store';
export { recordLinks, tapLink, tapFwctl, type LinkRecorder } from './link-tap';
