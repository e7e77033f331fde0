export { SimulatedCxlFwctl, type SimulatedCxlOptions, type SimRpcRecord } from './simulated-cxl-fwctl';
export { qemuFeatures, rawFeature, ECS_MEDIA_FRUS, type SimFeature } from './features';
export { CxlMailboxDevice } from './mailbox-device';
