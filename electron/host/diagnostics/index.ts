// Offline diagnostics: collect a redacted, hashed bundle; open and verify one
// on any machine; host facts for `fwbench info`; onboarding checks for
// `fwbench doctor`.
export { collectBundle, type CollectOptions, type CollectProgress, type CollectResult } from './collect-bundle';
export { openBundle, type BundleView } from './open-bundle';
export { checkBundle, type BundleCheck, type BundleProblem } from './bundle-integrity';
export { extractBundle, checkEntryHeader, DEFAULT_BUNDLE_LIMITS, type BundleLimits } from './safe-extract';
export { BundleManifest, ManifestFile, BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, MANIFEST_NAME, sha256Of } from './manifest';
export { Redactor, parseRedactionList, normalizeMac, type RedactionOptions, type RedactionSummary, type RedactionKind } from './redaction';
export { decodeTaint, readKernelTaint, TAINT_FLAGS, type KernelTaint, type TaintFlag } from './kernel-taint';
export { runDoctorChecks, doctorBlocks, type DoctorFacts, type DoctorFinding, type FindingLevel, type DeviceNode } from './doctor-checks';
export { gatherDoctorFacts, parseGroupFile, primaryGid, UDEV_RULE_DIRS, type DoctorRoots } from './doctor-facts';
export { udevRulesSource } from './rules-source';
