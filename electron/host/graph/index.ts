// The device graph: which kernel objects and registry devices are one physical unit.
export { buildUnits, usbUnitId, type GraphFacts } from './build-units';
export { attachDevices } from './attach-devices';
export { listUsbDevices, normalizePortPath, type UsbNodeFacts, type UsbInterfaceFacts } from './usb-sysfs';
export { UnitTracker } from './unit-tracker';
export { DeviceGraph } from './device-graph';
