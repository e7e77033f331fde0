// Serial sessions to lab standard: line settings, DTR/RTS reset and boot
// sequences as data, break, and the serial.* commands every serial session has.
export { DEFAULT_LINE, completeLine, checkLine, describeLine, needsReopen, sameLine, rememberLineSettings, lineSettingsFor, type FullLineSettings } from './line-settings';
export { MODEM_SEQUENCES, findSequence, runModemSequence, type ModemStep, type ModemSequence, type ModemControl, type ModemLineState, type SequenceRun } from './modem-sequences';
export { sendBreak } from './serial-break';
export { serialControlCommands, withSerialControls, type SerialControlPort } from './serial-controls';
