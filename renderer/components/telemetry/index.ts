// The live telemetry chart and its pure parts (view rules, alarms, axis plan, plot columns).
export { TelemetryChart, type TelemetryChartProps, type FrameStats } from './TelemetryChart';
export { ThresholdEditor } from './ThresholdEditor';
export { ChannelTable, formatValue, type ChannelRow } from './ChannelTable';
export { ThresholdAlarm, checkThreshold, sameThreshold, type ThresholdSpec, type ThresholdDirection } from './threshold-alarm';
export * from './view-state';
export { planAxes, scaleKey, channelColor, MAX_Y_AXES, type AxisPlan } from './axis-layout';
export { plotColumns, type PlotColumns } from './plot-data';
export { FrameScheduler } from './frame-scheduler';
