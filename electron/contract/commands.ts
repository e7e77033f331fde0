// The command catalog is data: id, scope, effects and a params schema. The
// renderer, the CLI, the policy and the audit all read these declarations; the
// host binds a handler to each id.
import { z } from 'zod';
import type { Scope } from './scopes';
import type { Effect } from './effects';

export interface CommandDecl<P extends z.ZodType = z.ZodType> {
  id: string;
  title: string;
  /** One sentence for the operator: what running it does. */
  summary: string;
  /** The least scope it needs. Some commands raise it per call (a CXL Set Feature with immediate effects). */
  scope: Scope;
  effects: readonly Effect[];
  params: P;
  /** Long-running: returns a job id at once and reports progress as events. */
  job?: boolean;
}

export function defineCommand<P extends z.ZodType>(decl: CommandDecl<P>): CommandDecl<P> {
  return decl;
}

/** A declaration as sent over the wire (no zod object). */
export interface CommandDescriptor {
  id: string;
  title: string;
  summary: string;
  scope: Scope;
  effects: Effect[];
  job: boolean;
  /** JSON Schema of the params, for generic forms and the CLI's help. */
  paramsSchema: unknown;
}

export function describeCommand(decl: CommandDecl): CommandDescriptor {
  return {
    id: decl.id,
    title: decl.title,
    summary: decl.summary,
    scope: decl.scope,
    effects: [...decl.effects],
    job: decl.job ?? false,
    paramsSchema: z.toJSONSchema(decl.params, { unrepresentable: 'any' }),
  };
}
