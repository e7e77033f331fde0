// A per-board recipe for writing an image to NOR flash from U-Boot, as data:
// where the image goes, the sector size the erase must respect, and whether
// sectors must be unprotected first. flashPlan() turns it into exact ranges.
// The RAM the image is staged in is not part of a recipe: it is the board's own
// loadaddr (U-Boot's `loady` default), checked against its bdinfo.
import { HostError } from '../../errors/host-error';

export interface FlashRecipe {
  /** U-Boot's `board_name` the recipe is for. */
  board: string;
  description: string;
  /** Flash address the image is written to (a sector boundary). */
  flashAddr: number;
  /** Bytes available from flashAddr; a bigger image is refused before anything runs. */
  regionSize: number;
  /** Erase granularity, from `flinfo` (sector start addresses). */
  sectorSize: number;
  /** RAM address the image is loaded to first; default: where the board's `loady` puts it (its loadaddr). */
  ramAddr?: number;
  /**
   * Write a whole number of this many bytes (the flash bus width). The RAM copy
   * is padded with 0xff (erased flash) up to it; the checks still cover exactly
   * the image. qemu_arm's CFI driver times out on, or silently drops, a tail
   * shorter than its 32-bit bus.
   */
  writeAlign?: number;
  /** Run `protect off` over the range first (CFI flash that U-Boot protects on boot). */
  unprotect: boolean;
  /** Reset after writing and check the board comes back (and the flash kept the image). */
  resetAfter: boolean;
}

/**
 * QEMU arm `virt` with U-Boot qemu_arm64 or qemu_arm (both say board_name
 * qemu-arm and see the same flash): bank 2 of the CFI flash starts at
 * 0x04000000, 128 KiB sectors (`flinfo`), the environment occupies its first
 * 0x40000 (two sectors, shown RO). The image goes 1 MiB in, well past it.
 */
export const QEMU_VIRT_ARM_FLASH: FlashRecipe = {
  board: 'qemu-arm',
  description: 'QEMU arm/arm64 virt, CFI flash bank 2 past the U-Boot environment',
  flashAddr: 0x0410_0000,
  regionSize: 0x0600_0000 - 0x0410_0000,
  sectorSize: 0x2_0000,
  writeAlign: 4,
  unprotect: true,
  resetAfter: true,
};

/** Every recipe fwbench ships, by board_name. A board not listed is never written to. */
export const FLASH_RECIPES: Readonly<Record<string, FlashRecipe>> = { [QEMU_VIRT_ARM_FLASH.board]: QEMU_VIRT_ARM_FLASH };

export function flashRecipeFor(board: string): FlashRecipe | undefined {
  return Object.hasOwn(FLASH_RECIPES, board) ? FLASH_RECIPES[board] : undefined;
}

export interface FlashPlan {
  length: number;
  eraseStart: number;
  /** Last byte of the last sector touched (U-Boot's `erase start end` is inclusive). */
  eraseEnd: number;
  sectors: number;
}

export function flashPlan(recipe: FlashRecipe, length: number): FlashPlan {
  if (!Number.isInteger(length) || length <= 0) throw new HostError('invalid-params', 'The image is empty.');
  if (recipe.sectorSize <= 0 || recipe.flashAddr % recipe.sectorSize !== 0)
    throw new HostError('invalid-params', `The flash recipe for ${recipe.board} is wrong: 0x${recipe.flashAddr.toString(16)} is not on a sector boundary.`);
  const sectors = Math.ceil(length / recipe.sectorSize);
  const span = sectors * recipe.sectorSize;
  if (span > recipe.regionSize)
    throw new HostError(
      'invalid-params',
      `The image (${length} bytes) does not fit the flash region of ${recipe.board} (${recipe.regionSize} bytes at 0x${recipe.flashAddr.toString(16)}).`,
    );
  return { length, eraseStart: recipe.flashAddr, eraseEnd: recipe.flashAddr + span - 1, sectors };
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
