// A recipe with the files it names: from disk (CLI, tests) or handed over as
// bytes (the renderer, which has no file system).
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { RecipePlan } from '../../contract/recipes';
import { HostError } from '../errors/host-error';
import { parseRecipe, type Recipe } from './recipe-schema';
import { planRecipe } from './recipe-plan';

export interface RecipeFiles {
  /** Bytes of a file the recipe names, relative to the recipe. */
  read(relPath: string): Promise<Uint8Array>;
}

export interface LoadedRecipe {
  text: string;
  recipe: Recipe;
  plan: RecipePlan;
  files: RecipeFiles;
  /** Absolute path when it came from disk. */
  path?: string;
}

export function filesInDir(baseDir: string): RecipeFiles {
  const root = resolve(baseDir);
  return {
    async read(rel) {
      const abs = resolve(root, rel);
      try {
        return new Uint8Array(await readFile(abs));
      } catch (e) {
        throw new HostError('bad-request', `The recipe names "${rel}", which cannot be read.`, (e as Error).message);
      }
    },
  };
}

export function filesFromMap(files: Record<string, Uint8Array>): RecipeFiles {
  return {
    async read(rel) {
      const data = files[rel] ?? files[rel.split('/').pop()!];
      if (!data) throw new HostError('bad-request', `The recipe names "${rel}"; add that file next to the recipe.`, `files given: ${Object.keys(files).join(', ') || 'none'}`);
      return data;
    },
  };
}

export function loadRecipeText(text: string, files: RecipeFiles, path?: string): LoadedRecipe {
  const recipe = parseRecipe(text);
  return { text, recipe, plan: planRecipe(recipe, text), files, path };
}

export async function loadRecipeFile(path: string): Promise<LoadedRecipe> {
  const abs = resolve(path);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    throw new HostError('bad-request', `The recipe ${path} cannot be read.`, (e as Error).message);
  }
  return loadRecipeText(text, filesInDir(dirname(abs)), abs);
}
