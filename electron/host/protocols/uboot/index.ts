export { UBootAdapter } from './uboot-adapter';
export type { UBootAdapterOptions, StepProgress, ProgressFn, DetectResult, EnvBackup, EnvChanges, EnvStorage, LoadResult, FlashResult } from './uboot-adapter';
export { QEMU_VIRT_ARM_FLASH, FLASH_RECIPES, flashRecipeFor, flashPlan, type FlashRecipe, type FlashPlan } from './flash-recipe';
export { crc32, crc32Hex } from './crc32';
export { quoteForHush, setenvCommand, deleteEnvCommand, checkEnvName, checkEnvValue } from './env-quoting';
export {
  findBanner,
  parseVersion,
  parseBdinfo,
  parsePrintenv,
  parsePrintenvOne,
  parseReadyLine,
  parseLoadSummary,
  parseCrc32Line,
  parseCmpResult,
  type UBootVersion,
  type BoardInfo,
  type UBootEnv,
} from './uboot-text';
